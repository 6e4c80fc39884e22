/**
 * Client detection: every adapter's evidence (default or its own) on each OS is its own path under
 * home — never home itself, never a folder several programs share, never another client's; on a
 * real local host with a temp HOME, and over a real sshd, exactly the clients whose folders/files
 * are there are installed; `clients: [auto]` validation.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { detectClients, detectPaths } from '../../src/clients/detect.js';
import { clientIds, getClient } from '../../src/clients/registry.js';
import { LocalHost } from '../../src/hosts/local-host.js';
import { SshHost } from '../../src/hosts/ssh/ssh-host.js';
import { validateClientConfigTarget } from '../../src/providers/client-config/validate-target.js';
import { startSshd } from '../helpers/sshd.js';

const H = '/h';
const shared = [
  '.config',
  '.local',
  '.local/share',
  'Library',
  'Library/Application Support',
  'AppData',
  'AppData/Roaming',
  'AppData/Local',
  '.aws',
  '.codeium',
  '.gemini',
];

describe('detect paths', () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    test(`${platform}: one client's own path under home each, none shared`, () => {
      const owner = new Map<string, string>();
      for (const id of clientIds()) {
        const paths = detectPaths(getClient(id), { home: H, platform });
        assert.ok(paths.length > 0, `${id} has no evidence`);
        for (const p of paths) {
          const rel = path.relative(H, p);
          assert.ok(rel && !rel.startsWith('..'), `${id}: ${p} is not under home`);
          assert.ok(!shared.includes(rel.split(path.sep).join('/')), `${id}: ${p} is a shared folder`);
          assert.equal(owner.get(p), undefined, `${id} and ${owner.get(p)} share ${p}`);
          owner.set(p, id);
        }
      }
    });
  }
  test('named examples', () => {
    const d = (id: string, platform: NodeJS.Platform = 'linux') =>
      detectPaths(getClient(id), { home: H, platform });
    assert.deepEqual(d('cursor'), ['/h/.cursor']);
    assert.deepEqual(d('windsurf'), ['/h/.codeium/windsurf']);
    assert.deepEqual(d('claude-code'), ['/h/.claude.json', '/h/.claude']);
    assert.deepEqual(d('vscode', 'darwin'), ['/h/Library/Application Support/Code']);
    assert.deepEqual(d('vscode-insiders'), ['/h/.config/Code - Insiders']);
    assert.deepEqual(d('cline'), ['/h/.config/Code/User/globalStorage/saoudrizwan.claude-dev']);
    assert.deepEqual(d('zed', 'win32'), ['/h/AppData/Roaming/Zed']);
  });
});

function fakeHome(root: string): string {
  const home = path.join(root, 'home');
  fs.mkdirSync(path.join(home, '.codeium', 'windsurf'), { recursive: true });
  fs.mkdirSync(path.join(home, '.claude'), { recursive: true });
  fs.mkdirSync(path.join(home, '.config', 'goose'), { recursive: true });
  fs.mkdirSync(path.join(home, '.gemini', 'antigravity'), { recursive: true }); // not Gemini CLI
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true }); // the AWS CLI, not Amazon Q
  return home;
}
const expected = (home: string) => [
  `antigravity ${path.join(home, '.gemini', 'antigravity')}`,
  `claude-code ${path.join(home, '.claude')}`,
  `goose ${path.join(home, '.config', 'goose')}`,
  `windsurf ${path.join(home, '.codeium', 'windsurf')}`,
];
const installed = (found: Awaited<ReturnType<typeof detectClients>>) =>
  found.filter((d) => d.installed).map((d) => `${d.id} ${d.evidence[0]}`);

test('local host with a temp HOME: exactly the clients whose folders are there', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-detect-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const home = fakeHome(root);
  const found = await detectClients(new LocalHost({ home }), { platform: 'linux' });
  assert.equal(found.length, clientIds().length);
  assert.deepEqual(installed(found), expected(home));
  const codex = found.find((d) => d.id === 'codex')!;
  assert.deepEqual(codex.evidence, [path.join(home, '.codex')]);
});

test('ssh host (real sshd): the same, looked up on the remote', async (t) => {
  const sshd = await startSshd(t);
  const home = fakeHome(fs.mkdtempSync(path.join(sshd.dir, 'detect-')));
  const host = new SshHost({
    url: sshd.url,
    home,
    identityRef: `file:${sshd.identityFile}`,
    knownHosts: sshd.knownHosts,
    connectTimeoutMs: 5000,
  });
  t.after(() => host.close());
  assert.deepEqual(installed(await detectClients(host, { platform: 'linux' })), expected(home));
});

describe('clients: [auto] validation', () => {
  const v = (clients: unknown[]) =>
    validateClientConfigTarget({ name: 't', provider: 'client-config', clients } as never);
  test('auto alone is valid', () => assert.deepEqual(v(['auto']), []));
  test('auto mixed with ids is refused', () =>
    assert.match(v(['auto', 'cursor']).join('\n'), /"auto" stands alone/));
  test('an unknown id is still refused', () => assert.match(v(['autox']).join('\n'), /unknown MCP client/));
});
