import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { openRepo } from '../../src/git/open-repo.js';
import { startGitHttpServer } from '../helpers/git-http-server.js';
import { createTempRepo } from '../helpers/temp-repo.js';

test('push sends the branch and tags to an HTTP remote', async (t) => {
  const remotes = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-remote-'));
  const repo = createTempRepo();
  const server = await startGitHttpServer(remotes);
  t.after(async () => {
    await server.close();
    repo.cleanup();
    fs.rmSync(remotes, { recursive: true, force: true });
  });
  const bare = path.join(remotes, 'config.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  execFileSync('git', ['-C', bare, 'config', 'http.receivepack', 'true']);
  repo.write('a.yaml', 'a: 1\n');
  repo.commitAll('config');
  repo.git('remote', 'add', 'origin', `${server.url}/config.git`);

  const g = await openRepo(repo.dir);
  await g.writeAndStage([{ path: 'reports/README.md', content: '# reports\n' }]);
  const commit = await g.commit(
    'reconcile(dev): 1 changed, 0 failed, 0 drifted\n\nMcp-Gitops-Report: true\n',
    { name: 'mcp-gitops', email: 'm@x' },
  );
  await g.createTag('dev/v1.0.0', 'dev 1.0.0\n', { name: 'mcp-gitops', email: 'm@x' });
  assert.deepEqual(await g.listRemotes(), [{ remote: 'origin', url: `${server.url}/config.git` }]);
  await g.push('origin', ['refs/heads/main', 'refs/tags/dev/v1.0.0']);

  assert.equal(execFileSync('git', ['-C', bare, 'rev-parse', 'main'], { encoding: 'utf8' }).trim(), commit);
  assert.equal(
    execFileSync('git', ['-C', bare, 'rev-parse', 'dev/v1.0.0^{commit}'], { encoding: 'utf8' }).trim(),
    commit,
  );
  assert.equal(
    execFileSync('git', ['-C', bare, 'cat-file', '-t', 'dev/v1.0.0'], { encoding: 'utf8' }).trim(),
    'tag',
  );
});
