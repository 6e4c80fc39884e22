/**
 * The test API server itself: a real etcd + kube-apiserver that the admin kubeconfig reaches over
 * verified TLS, that enforces RBAC on ServiceAccount tokens, reports the version it was built as,
 * and leaves no process or file behind once stopped. Its pure parts (kubeconfig, log tail) too.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import { connectKube, kubeStatus } from '../../src/kube/connect.js';
import { type KubeApiServer, startKubeApiServer } from './kube-apiserver.js';
import { kubeconfigContent, logTail, portTaken, tokenFileContent } from './kube-apiserver-config.js';

/** PIDs of the children of `parent` running `name` (their command name, from /proc). */
function childrenNamed(name: string, parent = process.pid): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (comm === name && Number(ppid) === parent && state !== 'Z') found.push(Number(entry));
    } catch {
      // Exited while listing.
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('startKubeApiServer', () => {
  let kube: KubeApiServer;
  let pids: number[] = [];

  // A fresh machine builds the binaries first (minutes); .ci/run builds them before the tests.
  before(
    async () => {
      const started = Date.now();
      kube = await startKubeApiServer();
      console.log(`kube-apiserver + etcd ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      pids = [...childrenNamed('etcd'), ...childrenNamed('kube-apiserver')];
    },
    { timeout: 60 * 60_000 },
  );
  after(() => kube?.stop());

  test('runs etcd and kube-apiserver as child processes, on loopback', () => {
    assert.equal(pids.length, 2, `expected one etcd and one kube-apiserver child, found ${pids.length}`);
    assert.match(kube.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test('the admin kubeconfig reaches it over verified TLS and can create a namespace and a Deployment', async () => {
    const admin = connectKube({ kubeconfig: kube.adminKubeconfig, env: {} });
    assert.equal(admin.server, kube.url);
    assert.equal(admin.namespace, 'default');
    const cluster = admin.config.getCurrentCluster();
    assert.ok(cluster?.caData, 'the kubeconfig carries the server CA');
    assert.notEqual(cluster?.skipTLSVerify, true);
    await admin.core.createNamespace({ body: { metadata: { name: 'k1-apps' } } });
    await admin.apps.createNamespacedDeployment({
      namespace: 'k1-apps',
      body: {
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'registry.invalid/web:1' }] },
          },
        },
      },
    });
    const read = await admin.apps.readNamespacedDeployment({ namespace: 'k1-apps', name: 'web' });
    assert.equal(read.spec?.template.spec?.containers[0]?.image, 'registry.invalid/web:1');
    assert.ok(read.metadata?.uid, 'stored by the API server');
  });

  test('a fresh ServiceAccount token is authenticated but RBAC forbids listing Secrets', async () => {
    const token = await kube.serviceAccountToken('k1-sa', 'reader');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      sub: string;
      exp: number;
      iat: number;
    };
    assert.equal(claims.sub, 'system:serviceaccount:k1-sa:reader');
    assert.equal(claims.exp - claims.iat, 3600, 'one hour');
    // Asking twice reuses the namespace and the ServiceAccount.
    assert.ok(await kube.serviceAccountToken('k1-sa', 'reader'));

    const asSa = connectKube({
      kubeconfig: await kube.kubeconfigFor(token, { namespace: 'k1-sa' }),
      env: {},
    });
    assert.equal(asSa.namespace, 'k1-sa');
    const denied = await asSa.core.listNamespacedSecret({ namespace: 'k1-sa' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.equal(kubeStatus(denied), 403);
    assert.match(String((denied as { body?: unknown }).body), /system:serviceaccount:k1-sa:reader/);

    const stranger = connectKube({ kubeconfig: await kube.kubeconfigFor('not-a-token'), env: {} });
    const unknown = await stranger.core.listNamespacedSecret({ namespace: 'k1-sa' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.equal(kubeStatus(unknown), 401, 'an unknown token is not authenticated at all');
  });

  test('/version reports the Kubernetes version it was built from', async () => {
    const admin = connectKube({ kubeconfig: kube.adminKubeconfig, env: {} });
    const version = await admin.config.makeApiClient(k8s.VersionApi).getCode();
    assert.equal(version.gitVersion, 'v1.37.2');
    assert.equal(version.major, '1');
    assert.equal(version.minor, '37');
  });

  test('stop() kills both processes and removes its files, and may be called again', async () => {
    const dir = path.dirname(kube.adminKubeconfig);
    assert.ok(pids.every(alive));
    await kube.stop();
    assert.deepEqual(pids.filter(alive), [], 'no etcd or kube-apiserver left running');
    assert.equal(existsSync(dir), false);
    await kube.stop();
  });
});

/**
 * A test process that dies without calling stop(): started here with the helper, it prints its
 * temp dir once the server is ready, then crashes in the way `how` says.
 */
async function crashWhileRunning(how: 'throw' | 'SIGTERM'): Promise<{ pids: number[]; dir: string }> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'mcpgt-kube-crash-'));
  const helper = fileURLToPath(new URL('./kube-apiserver.ts', import.meta.url));
  const script = path.join(scratch, 'crash.mts');
  writeFileSync(
    script,
    [
      `import { startKubeApiServer } from ${JSON.stringify(helper)};`,
      'const kube = await startKubeApiServer();',
      "console.log('ready', kube.adminKubeconfig);",
      how === 'throw'
        ? "setTimeout(() => { throw new Error('test crashed'); }, 300);"
        : 'setInterval(() => {}, 1000);',
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const kubeconfig = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = /^ready (.+)$/m.exec(out);
        if (line) resolve(line[1]!);
      });
      child.once('exit', (code) =>
        reject(new Error(`the crashing test exited (${code}) before it was ready`)),
      );
    });
    const pids = [...childrenNamed('etcd', child.pid), ...childrenNamed('kube-apiserver', child.pid)];
    if (how === 'SIGTERM') child.kill('SIGTERM');
    await exited;
    return { pids, dir: path.dirname(kubeconfig) };
  } finally {
    child.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function gone(pids: number[]): Promise<number[]> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(alive);
}

describe('a test process that dies without stop()', () => {
  for (const how of ['throw', 'SIGTERM'] as const) {
    test(`takes etcd and kube-apiserver with it (${how === 'throw' ? 'an uncaught error' : 'SIGTERM'})`, async () => {
      const { pids, dir } = await crashWhileRunning(how);
      assert.equal(pids.length, 2, 'the crashing test ran etcd and kube-apiserver');
      assert.deepEqual(await gone(pids), [], 'none left running');
      assert.equal(existsSync(dir), false, 'its temp dir is removed');
    });
  }
});

describe('kube-apiserver config', () => {
  test('a kubeconfig names its server, CA, token, namespace and context, and loads', () => {
    const text = kubeconfigContent({
      server: 'https://127.0.0.1:6443',
      caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      token: 'canary-token-7f3a',
      namespace: 'apps',
      context: 'ci',
    });
    const config = new k8s.KubeConfig();
    config.loadFromString(text);
    assert.equal(config.getCurrentContext(), 'ci');
    assert.equal(config.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
    assert.equal(config.getCurrentUser()?.token, 'canary-token-7f3a');
    assert.equal(config.getContextObject('ci')?.namespace, 'apps');
    assert.match(
      Buffer.from(config.getCurrentCluster()?.caData ?? '', 'base64').toString(),
      /BEGIN CERTIFICATE/,
    );
  });

  test('the default context is "test" in namespace default', () => {
    const config = new k8s.KubeConfig();
    config.loadFromString(kubeconfigContent({ server: 'https://127.0.0.1:1', caPem: 'x', token: 't' }));
    assert.equal(config.getCurrentContext(), 'test');
    assert.equal(config.getContextObject('test')?.namespace, 'default');
  });

  test('the token file puts the admin in system:masters', () => {
    assert.equal(tokenFileContent('abc'), 'abc,admin,admin-uid,"system:masters"\n');
  });

  test('a log tail keeps the last lines, each cut to a readable length', () => {
    const log = `${Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n')}\n${'x'.repeat(1000)}\n`;
    const tail = logTail(log, 3).split('\n');
    assert.deepEqual(tail.slice(0, 2), ['line 28', 'line 29']);
    assert.equal(tail[2]!.length, 401);
  });

  test('a taken port is recognised in a log', () => {
    assert.ok(portTaken('listen tcp 127.0.0.1:2379: bind: address already in use'));
    assert.ok(!portTaken('etcd: ready on http://127.0.0.1:2379'));
  });
});
