/**
 * A real Kubernetes API server for tests — etcd plus kube-apiserver, the pair controller-runtime's
 * envtest runs — on free loopback ports, with its files in a temp dir. No kubelet and no
 * controller-manager: objects are stored, validated and authorised (RBAC), no pod runs. The admin
 * is a static token in group system:masters; ServiceAccount tokens come from the TokenRequest API.
 * The binaries are built from Go modules by scripts/kube-test-bins.sh (run here when absent, which
 * takes minutes once). One server per test file: start in `before`, `stop()` in `after`; a test
 * process that dies anyway takes both servers with it (exit hook).
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectKube, kubeErrorMessage, kubeStatus } from '../../src/kube/connect.js';
import {
  type ApiServerFiles,
  apiServerArgs,
  kubeconfigContent,
  logTail,
  portTaken,
  tokenFileContent,
} from './kube-apiserver-config.js';
import {
  freePorts,
  installExitHook,
  launch,
  live,
  type Proc,
  readLog,
  running,
  sleep,
  terminate,
} from './kube-processes.js';

export interface KubeApiServer {
  url: string; // https://127.0.0.1:PORT
  adminKubeconfig: string; // kubeconfig file path: an admin (system:masters), namespace default
  /** Writes a kubeconfig file for a bearer token (e.g. a ServiceAccount's) and returns its path. */
  kubeconfigFor(token: string, opts?: { namespace?: string; context?: string }): Promise<string>;
  /** Creates the ServiceAccount (and its namespace) if absent and returns a token from the TokenRequest API. */
  serviceAccountToken(namespace: string, name: string): Promise<string>;
  /** Kill etcd + kube-apiserver by PID (SIGKILL after a grace), remove temp dirs. Idempotent. */
  stop(): Promise<void>;
}

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const READY_MS = 120_000;
const ETCD_READY_MS = 60_000;

/**
 * Starts etcd and kube-apiserver and waits for `/readyz`. `dir` is the parent of the server's
 * temp dir (default the system's); only that temp dir is removed by `stop()`.
 */
export async function startKubeApiServer(opts: { dir?: string } = {}): Promise<KubeApiServer> {
  const bins = await kubeTestBins();
  const dir = await fs.mkdtemp(path.join(opts.dir ?? os.tmpdir(), 'mcpgt-kube-'));
  const procs: Proc[] = [];
  const entry = { procs, dir };
  live.add(entry);
  installExitHook();
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // The API server first, so it does not spend its last seconds reporting a lost etcd.
      for (const proc of procs.slice().reverse()) await terminate(proc);
      await fs.rm(dir, { recursive: true, force: true });
      live.delete(entry);
    })();
    return stopping;
  };
  try {
    const files = await writeFiles(dir);
    const adminToken = randomBytes(24).toString('hex');
    await fs.writeFile(files.tokenFile, tokenFileContent(adminToken), { mode: 0o600 });
    const etcdUrl = await startEtcd(bins, dir, procs);
    const { port, caPem } = await startApiServer(bins, dir, files, etcdUrl, adminToken, procs);
    const url = `https://127.0.0.1:${port}`;
    let written = 0;
    const kubeconfigFor = async (token: string, o: { namespace?: string; context?: string } = {}) => {
      const file = path.join(dir, `kubeconfig-${++written}`);
      await fs.writeFile(file, kubeconfigContent({ server: url, caPem, token, ...o }), { mode: 0o600 });
      return file;
    };
    const adminKubeconfig = await kubeconfigFor(adminToken, { context: 'admin' });
    return {
      url,
      adminKubeconfig,
      kubeconfigFor,
      serviceAccountToken: (namespace, name) => serviceAccountToken(adminKubeconfig, namespace, name),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

let binsFolder: Promise<string> | undefined;

/** The folder holding kube-apiserver and etcd: built (or reused) by scripts/kube-test-bins.sh. */
export function kubeTestBins(): Promise<string> {
  binsFolder ??= new Promise<string>((resolve, reject) => {
    const script = path.join(REPO, 'scripts', 'kube-test-bins.sh');
    // The script says on stderr when it builds (minutes, once per version); stdout is the folder.
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('error', (err) => reject(new Error(`cannot run ${script}: ${err.message}`)));
    child.once('close', (code) => {
      const folder = out.trim().split('\n').pop() ?? '';
      if (code === 0 && existsSync(path.join(folder, 'kube-apiserver'))) resolve(folder);
      else reject(new Error(`bash scripts/kube-test-bins.sh failed (exit ${code}): see its output above`));
    });
  });
  return binsFolder;
}

async function writeFiles(dir: string): Promise<ApiServerFiles> {
  const files: ApiServerFiles = {
    certDir: path.join(dir, 'certs'),
    tokenFile: path.join(dir, 'tokens.csv'),
    saKey: path.join(dir, 'sa.key'),
    saPub: path.join(dir, 'sa.pub'),
  };
  await fs.mkdir(files.certDir, { mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await fs.writeFile(files.saKey, privateKey, { mode: 0o600 });
  await fs.writeFile(files.saPub, publicKey);
  return files;
}

async function startEtcd(bins: string, dir: string, procs: Proc[]): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const [clientPort, peerPort] = await freePorts(2);
    const url = `http://127.0.0.1:${clientPort}`;
    const proc = launch('etcd', path.join(bins, 'etcd'), dir, [
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=${url}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
    ]);
    procs.push(proc);
    const deadline = Date.now() + ETCD_READY_MS;
    while (Date.now() < deadline && running(proc)) {
      if ((await readLog(proc)).includes('etcd: ready on')) return url;
      await sleep(50);
    }
    await terminate(proc);
    procs.pop();
    const log = await readLog(proc);
    if (attempt < 3 && portTaken(log)) continue;
    throw new Error(`etcd did not become ready:\n${logTail(log)}`);
  }
}

async function startApiServer(
  bins: string,
  dir: string,
  files: ApiServerFiles,
  etcdUrl: string,
  adminToken: string,
  procs: Proc[],
): Promise<{ port: number; caPem: string }> {
  const etcd = procs[0]!;
  for (let attempt = 1; ; attempt++) {
    const [port] = await freePorts(1);
    const proc = launch(
      'kube-apiserver',
      path.join(bins, 'kube-apiserver'),
      dir,
      apiServerArgs(files, port!, etcdUrl),
    );
    procs.push(proc);
    const certFile = path.join(files.certDir, 'apiserver.crt');
    const deadline = Date.now() + READY_MS;
    let last = 'no answer';
    while (Date.now() < deadline && running(proc) && running(etcd)) {
      const caPem = await fs.readFile(certFile, 'utf8').catch(() => undefined);
      if (caPem) {
        last = await readyz(port!, caPem, adminToken);
        if (last === '200') return { port: port!, caPem };
      }
      await sleep(200);
    }
    const log = await readLog(proc);
    if (attempt < 3 && !running(proc) && portTaken(log)) {
      procs.pop();
      continue;
    }
    const why = !running(proc)
      ? 'exited'
      : !running(etcd)
        ? 'lost etcd'
        : `not ready in ${READY_MS / 1000} s`;
    throw new Error(
      `kube-apiserver ${why} (last /readyz: ${last})\n--- etcd log, last lines ---\n${logTail(
        await readLog(etcd),
      )}\n--- kube-apiserver log, last lines ---\n${logTail(log)}`,
    );
  }
}

/** GET /readyz with the admin token, verifying the server's own CA: the status, or the error. */
function readyz(port: number, ca: string, token: string): Promise<string> {
  return new Promise((resolve) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port,
        path: '/readyz',
        ca,
        headers: { authorization: `Bearer ${token}` },
        timeout: 5000,
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(String(res.statusCode)));
      },
    );
    req.once('timeout', () => req.destroy(new Error('timed out')));
    req.once('error', (err) => resolve(err.message));
  });
}

async function serviceAccountToken(kubeconfig: string, namespace: string, name: string): Promise<string> {
  const { core } = connectKube({ kubeconfig, env: {} });
  const unlessExists = async (create: () => Promise<unknown>, what: string) => {
    try {
      await create();
    } catch (err) {
      if (kubeStatus(err) !== 409) throw new Error(`creating ${what}: ${kubeErrorMessage(err)}`);
    }
  };
  await unlessExists(
    () => core.createNamespace({ body: { metadata: { name: namespace } } }),
    `namespace ${namespace}`,
  );
  await unlessExists(
    () => core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } }),
    `ServiceAccount ${namespace}/${name}`,
  );
  const request = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`TokenRequest for ${namespace}/${name} returned no token`);
  return token;
}
