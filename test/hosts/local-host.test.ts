import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { McpGitopsError } from '../../src/core/errors.js';
import { createHost } from '../../src/hosts/create-host.js';
import { LocalHost, STALE_BACKUP_SUFFIX } from '../../src/hosts/local-host.js';

let dir: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-gitops-host-'));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('LocalHost home', () => {
  test('target home wins, then MCP_GITOPS_HOME, and ~ expands against it', async () => {
    const saved = process.env.MCP_GITOPS_HOME;
    try {
      process.env.MCP_GITOPS_HOME = path.join(dir, 'env-home');
      assert.equal(await new LocalHost().home(), path.join(dir, 'env-home'));
      assert.equal(await new LocalHost({ home: '~/sub' }).home(), path.join(dir, 'env-home', 'sub'));
      const host = new LocalHost({ home: path.join(dir, 'target-home') });
      assert.equal(await host.home(), path.join(dir, 'target-home'));
      assert.equal(await host.expand('~/x/y.json'), path.join(dir, 'target-home', 'x', 'y.json'));
      assert.equal(await host.expand('~'), path.join(dir, 'target-home'));
      assert.equal(await host.expand('/abs/~/x'), '/abs/~/x');
    } finally {
      if (saved === undefined) delete process.env.MCP_GITOPS_HOME;
      else process.env.MCP_GITOPS_HOME = saved;
    }
  });
});

describe('LocalHost writeFile', () => {
  test('creates parents, honours mode on create and overwrite, leaves no temp files', async () => {
    const host = new LocalHost({ home: dir });
    const file = path.join(dir, 'a', 'b', 'secret.json');
    await host.writeFile(file, '{"v":1}\n', { mode: 0o600 });
    assert.equal(await host.readFile(file), '{"v":1}\n');
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    await fs.chmod(file, 0o644);
    await host.writeFile(file, '{"v":2}\n', { mode: 0o600 });
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    // Without a mode, an existing file keeps its permissions.
    await fs.chmod(file, 0o640);
    await host.writeFile(file, '{"v":3}\n');
    assert.equal((await fs.stat(file)).mode & 0o777, 0o640);
    assert.deepEqual(await fs.readdir(path.dirname(file)), ['secret.json']);
  });

  test('removeStaleBackup removes the .mcp-gitops.bak older versions left beside the file, and says so', async () => {
    const host = new LocalHost({ home: dir });
    const file = path.join(dir, 'backup', 'c.json');
    assert.deepEqual(await host.writeFile(file, 'first', { removeStaleBackup: true }), {});
    await fs.writeFile(`${file}${STALE_BACKUP_SUFFIX}`, 'from an older version');
    assert.deepEqual(await host.writeFile(file, 'second', { removeStaleBackup: true }), {
      removedStaleBackup: `${file}${STALE_BACKUP_SUFFIX}`,
    });
    assert.equal(await host.readFile(file), 'second');
    assert.deepEqual(await fs.readdir(path.dirname(file)), ['c.json'], 'no backup beside the file');
  });

  test('writes through a symlink instead of replacing it', async () => {
    const host = new LocalHost({ home: dir });
    const real = path.join(dir, 'dotfiles', 'conf.json');
    const link = path.join(dir, 'link.json');
    await host.writeFile(real, 'old');
    await fs.symlink(real, link);
    await host.writeFile(link, 'new');
    assert.ok((await fs.lstat(link)).isSymbolicLink());
    assert.equal(await fs.readFile(real, 'utf8'), 'new');
  });

  test('readFile of a missing file is undefined; remove is idempotent', async () => {
    const host = new LocalHost({ home: dir });
    assert.equal(await host.readFile(path.join(dir, 'nope')), undefined);
    await host.remove(path.join(dir, 'nope'));
    await host.mkdir(path.join(dir, 'tree', 'x'));
    await host.remove(path.join(dir, 'tree'), { recursive: true });
    assert.equal(await host.exists(path.join(dir, 'tree')), false);
  });
});

describe('LocalHost exec', () => {
  test('shell metacharacters in argv are taken literally', async () => {
    const host = new LocalHost({ home: dir });
    const marker = path.join(dir, 'pwned');
    const evil = `$(touch ${marker}); touch ${marker} | cat && echo \`id\` > ${marker}`;
    const r = await host.exec('printf', ['%s', evil]);
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, evil);
    assert.equal(await host.exists(marker), false);
  });

  test('non-zero exit is returned, env merges over process.env, input and cwd work', async () => {
    const host = new LocalHost({ home: dir });
    const r = await host.exec(
      process.execPath,
      [
        '-e',
        'process.stdin.pipe(process.stdout); process.stderr.write(process.env.EXTRA + ":" + (process.env.PATH ? "path" : "") + ":" + process.cwd()); process.exitCode = 3',
      ],
      { env: { EXTRA: 'yes' }, input: 'hello', cwd: dir },
    );
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, 'hello');
    assert.equal(r.stderr, `yes:path:${await fs.realpath(dir)}`);
  });

  test('reject: true throws ERR_HOST; a missing program and a timeout return failures', async () => {
    const host = new LocalHost({ home: dir });
    await assert.rejects(
      host.exec('false', [], { reject: true }),
      (e: unknown) => e instanceof McpGitopsError && e.code === 'ERR_HOST',
    );
    const missing = await host.exec('definitely-not-a-program-mcp-gitops', []);
    assert.equal(missing.exitCode, 127);
    assert.match(missing.stderr, /definitely-not-a-program-mcp-gitops/);
    const slow = await host.exec(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { timeoutMs: 300 });
    assert.notEqual(slow.exitCode, 0);
    assert.match(slow.stderr, /timed out/i);
  });

  test('which finds programs on PATH only', async () => {
    const host = new LocalHost({ home: dir });
    const sh = await host.which('sh');
    assert.ok(sh && path.isAbsolute(sh));
    assert.equal(await host.which('definitely-not-a-program-mcp-gitops'), undefined);
  });
});

describe('createHost', () => {
  test('local and undefined give a LocalHost with the target home', async () => {
    assert.equal(createHost({ name: 't' }).kind, 'local');
    const host = createHost({ name: 't', host: 'local', home: dir });
    assert.equal(await host.home(), dir);
  });

  test('ssh hosts give an SshHost; malformed and unknown hosts fail with ERR_HOST and a hint', () => {
    const ssh = createHost({ name: 'vm', host: 'ssh://deploy@vm-1:22' });
    assert.equal(ssh.kind, 'ssh');
    assert.equal(ssh.id, 'ssh://deploy@vm-1:22');
    assert.throws(
      () => createHost({ name: 'vm', host: 'ssh://-oProxyCommand=x@vm-1' }),
      (e: unknown) => e instanceof McpGitopsError && e.code === 'ERR_HOST' && !!e.hint,
    );
    assert.throws(() => createHost({ name: 'x', host: 'ftp://x' }), /unknown host/);
  });
});

describe('LocalHost listDirectories', () => {
  test('sorted directory names only; a missing path or a file is empty', async () => {
    const host = new LocalHost({ home: dir });
    const root = path.join(dir, 'list');
    await fs.mkdir(path.join(root, 'b'), { recursive: true });
    await fs.mkdir(path.join(root, 'a'));
    await fs.writeFile(path.join(root, 'file'), 'x');
    await fs.symlink(path.join(root, 'a'), path.join(root, 'link'));
    assert.deepEqual(await host.listDirectories(root), ['a', 'b']);
    assert.deepEqual(await host.listDirectories(path.join(root, 'missing')), []);
    assert.deepEqual(await host.listDirectories(path.join(root, 'file')), []);
  });
});
