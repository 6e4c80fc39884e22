/**
 * The files and flags of the test API server (test/helpers/kube-apiserver.ts), as pure functions so
 * the process code stays small: the kube-apiserver command line (envtest's flags, RBAC on, a static
 * token file for the admin), the token file, and kubeconfig files for a bearer token. A kubeconfig
 * is written as JSON, which every kubeconfig loader reads as YAML.
 */

export interface ApiServerFiles {
  /** --cert-dir: kube-apiserver writes its self-signed serving certificate and CA here. */
  certDir: string;
  /** --token-auth-file (CSV: token,user,uid,"groups"). */
  tokenFile: string;
  /** ServiceAccount token signing key (PKCS#8 PEM) and its public half (SPKI PEM). */
  saKey: string;
  saPub: string;
}

/** envtest's kube-apiserver flags, with a static admin token instead of a client certificate. */
export function apiServerArgs(files: ApiServerFiles, port: number, etcdUrl: string): string[] {
  return [
    `--etcd-servers=${etcdUrl}`,
    `--cert-dir=${files.certDir}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    '--authorization-mode=RBAC',
    `--token-auth-file=${files.tokenFile}`,
    `--service-account-issuer=https://127.0.0.1:${port}`,
    `--service-account-key-file=${files.saPub}`,
    `--service-account-signing-key-file=${files.saKey}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    // No controller-manager creates ServiceAccount tokens for pods; pods need not name one.
    '--disable-admission-plugins=ServiceAccount',
  ];
}

/** The admin's line of the static token file: user `admin` in group system:masters. */
export function tokenFileContent(adminToken: string): string {
  return `${adminToken},admin,admin-uid,"system:masters"\n`;
}

export interface KubeconfigSpec {
  server: string;
  /** PEM of the CA that signed the server's certificate. */
  caPem: string;
  token: string;
  namespace?: string;
  context?: string;
}

/** A kubeconfig with one cluster, one user (a bearer token) and one context, current. */
export function kubeconfigContent(spec: KubeconfigSpec): string {
  const context = spec.context ?? 'test';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: context,
        cluster: {
          server: spec.server,
          'certificate-authority-data': Buffer.from(spec.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: context, user: { token: spec.token } }],
    contexts: [
      {
        name: context,
        context: { cluster: context, user: context, namespace: spec.namespace ?? 'default' },
      },
    ],
    'current-context': context,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** The last `count` lines of a log, each cut to a readable length, for an error message. */
export function logTail(log: string, count = 20): string {
  const lines = log.trimEnd().split('\n').slice(-count);
  return lines.map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line)).join('\n');
}

/** Whether a process log says its port was taken (then the caller picks other ports). */
export function portTaken(log: string): boolean {
  return /address already in use/i.test(log);
}
