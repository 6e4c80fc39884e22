/**
 * The demo MCP server fixture (test/fixtures/updates/mcp-gitops-demo-server), published with the
 * real `npm publish` to verdaccio on loopback, runs the way a client runs an npm server
 * (`npx -y name@version`, src/clients/build-entry.ts) and the project's verifier lists the tools
 * each version offers: U4 verifies new versions in a scratch place this way.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stdioLaunch } from '../../../src/clients/build-entry.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { DEMO_SERVER_NAME, DEMO_SERVER_VERSIONS, writeDemoServerTarball } from '../../helpers/npm-tarball.js';
import { startVerdaccio, type Verdaccio } from '../../helpers/verdaccio.js';

let registry: Verdaccio;
let home: string;

before(async () => {
  registry = await startVerdaccio();
  home = await fs.mkdtemp(path.join(tmpdir(), 'mcp-gitops-demo-home-'));
  for (const version of DEMO_SERVER_VERSIONS) {
    await registry.publish(await writeDemoServerTarball(registry.storage, version));
  }
});
after(async () => {
  await registry?.stop();
  if (home !== undefined) await fs.rm(home, { recursive: true, force: true });
});

async function toolsOf(version: string, identifier = DEMO_SERVER_NAME) {
  const launch = stdioLaunch({
    package: { registryType: 'npm', identifier, version },
  } as Parameters<typeof stdioLaunch>[0]);
  assert.ok(launch);
  const result = await verifyServer(
    {
      kind: 'stdio',
      command: launch.command,
      args: launch.args,
      env: {
        npm_config_registry: registry.url,
        npm_config_cache: path.join(home, 'npm-cache'),
        npm_config_userconfig: path.join(home, 'npmrc'),
        npm_config_update_notifier: 'false',
        HOME: home,
      },
      cwd: home,
    },
    { timeoutMs: 90_000 },
  );
  assert.equal(result.ok, true, result.error);
  return result;
}

describe('demo MCP server from verdaccio via npx', () => {
  test('each version lists its own tools', async () => {
    const v100 = await toolsOf('1.0.0');
    const v110 = await toolsOf('1.1.0');
    const v200 = await toolsOf('2.0.0');
    assert.deepEqual(v100.tools, ['add', 'echo', 'get_time']);
    assert.deepEqual(v110.tools, ['add', 'echo', 'get_time', 'reverse']);
    assert.deepEqual(v200.tools, ['add', 'echo', 'reverse']);
    assert.equal(v110.identity?.serverInfo?.version, '1.1.0');
    const tool = (result: typeof v100, name: string) => result.surface?.tools.find((t) => t.name === name);
    assert.equal(tool(v100, 'add')?.description, 'Add two numbers.');
    assert.equal(tool(v110, 'add')?.description, 'Add two numbers and return their sum.');
    assert.equal(tool(v110, 'echo')?.annotations?.readOnlyHint, true);
    assert.equal(tool(v200, 'echo')?.annotations?.readOnlyHint, false);
    assert.notEqual(tool(v110, 'echo')?.fingerprint, tool(v200, 'echo')?.fingerprint);
  });

  test('a version seeded into storage (past publish time, own tools) installs and runs too', async () => {
    const tools = [{ name: 'only_tool', description: 'The one tool.', inputSchema: { type: 'object' } }];
    await registry.seed('@acme/seeded-demo', [
      { version: '0.5.0', publishedAt: '2020-05-05T00:00:00.000Z', tools },
    ]);
    const result = await toolsOf('0.5.0', '@acme/seeded-demo');
    assert.deepEqual(result.tools, ['only_tool']);
    assert.equal(result.identity?.serverInfo?.name, '@acme/seeded-demo');
  });
});
