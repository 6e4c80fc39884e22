/**
 * One way to reach a Kubernetes API server, shared by the `kubernetes` provider and by `serve
 * --leader-elect`: a kubeconfig file (the target's `kubeconfig`, else `$KUBECONFIG`, else
 * `~/.kube/config`) with an optional context, or the in-cluster ServiceAccount when running in a
 * pod. Credentials stay inside @kubernetes/client-node; nothing here logs or returns them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { McpGitopsError } from '../core/errors.js';

export interface KubeConnectOptions {
  /** Path of a kubeconfig file; `~/` is the user's home. Default: $KUBECONFIG, ~/.kube/config, in-cluster. */
  kubeconfig?: string;
  /** A context of that kubeconfig; default its current context. */
  context?: string;
  /** The namespace to use; default the context's namespace, the pod's own namespace in-cluster, else `default`. */
  namespace?: string;
  /** The environment to read KUBECONFIG / KUBERNETES_SERVICE_HOST from (tests); default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Longest wait for one API request (default 30 s): an API server that accepts connections but
   * never answers fails the call instead of hanging a run. Watches are not affected.
   */
  timeoutMs?: number;
}

export const DEFAULT_KUBE_TIMEOUT_MS = 30_000;

export interface KubeConnection {
  config: k8s.KubeConfig;
  namespace: string;
  /** The API server's URL (no credentials in it), for messages. */
  server: string;
  /** Where the credentials came from, for messages: a kubeconfig path and context, or `in-cluster`. */
  source: string;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  coordination: k8s.CoordinationV1Api;
  objects: k8s.KubernetesObjectApi;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export function connectKube(options: KubeConnectOptions = {}): KubeConnection {
  const env = options.env ?? process.env;
  const config = new k8s.KubeConfig();
  let source: string;
  const file = kubeconfigPath(options.kubeconfig, env);
  let podNamespace: string | undefined;
  if (file) {
    if (!fs.existsSync(file)) {
      throw new McpGitopsError('ERR_HOST', `kubeconfig ${file} does not exist`, {
        hint: "set the target's kubeconfig, or $KUBECONFIG, to a kubeconfig file",
      });
    }
    try {
      config.loadFromFile(file);
    } catch (err) {
      throw new McpGitopsError('ERR_HOST', `kubeconfig ${file} cannot be read: ${firstLine(err)}`);
    }
    if (options.context) {
      if (!config.getContextObject(options.context)) {
        throw new McpGitopsError('ERR_HOST', `kubeconfig ${file} has no context "${options.context}"`, {
          hint: `its contexts: ${
            config
              .getContexts()
              .map((c) => c.name)
              .join(', ') || '(none)'
          }`,
        });
      }
      config.setCurrentContext(options.context);
    }
    source = `${file}${config.getCurrentContext() ? ` (context ${config.getCurrentContext()})` : ''}`;
  } else if (env.KUBERNETES_SERVICE_HOST && fs.existsSync(path.join(SA_DIR, 'token'))) {
    config.loadFromCluster();
    source = 'in-cluster';
    podNamespace = readTrimmed(path.join(SA_DIR, 'namespace'));
  } else {
    throw new McpGitopsError('ERR_HOST', 'no kubeconfig found and not running in a cluster', {
      hint: 'give the target a kubeconfig, set $KUBECONFIG, or create ~/.kube/config',
    });
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    throw new McpGitopsError(
      'ERR_HOST',
      `kubeconfig from ${source} names no cluster for its current context`,
    );
  }
  reuseConnections(config);
  boundRequests(config, options.timeoutMs ?? DEFAULT_KUBE_TIMEOUT_MS);
  const contextNamespace = config.getContextObject(config.getCurrentContext())?.namespace;
  return {
    config,
    namespace: options.namespace ?? contextNamespace ?? podNamespace ?? 'default',
    server: cluster.server,
    source,
    core: config.makeApiClient(k8s.CoreV1Api),
    apps: config.makeApiClient(k8s.AppsV1Api),
    coordination: config.makeApiClient(k8s.CoordinationV1Api),
    objects: k8s.KubernetesObjectApi.makeApiClient(config),
  };
}

/**
 * Every request the API clients make goes through the config's `applySecurityAuthentication`;
 * give each one a deadline there (unless the caller set its own signal).
 */
function boundRequests(config: k8s.KubeConfig, timeoutMs: number): void {
  const apply = config.applySecurityAuthentication.bind(config);
  config.applySecurityAuthentication = async (context) => {
    await apply(context);
    if (!context.getSignal()) context.setSignal(AbortSignal.timeout(timeoutMs));
  };
}

type AgentMaker = (cluster: k8s.Cluster | null, options: Record<string, unknown>) => unknown;

/**
 * @kubernetes/client-node 1.4 makes a new agent for every request (`createAgent`, called from
 * `applySecurityAuthentication`): each request paid a new TCP connection, a TLS handshake and a
 * TLS context with the CA parsed again, ~0.7 s of CPU over the 800 requests of 200 servers'
 * first reconcile. One keep-alive agent is reused while the cluster and the TLS options (CA,
 * client certificate, key, server name) are the same; a credential that changes gets a new one.
 * Idle kept-alive sockets do not hold the process open (Node unrefs them).
 */
function reuseConnections(config: k8s.KubeConfig): void {
  const target = config as unknown as { createAgent?: AgentMaker };
  const create = target.createAgent?.bind(config);
  if (!create) return;
  let last: { key: string; agent: unknown } | undefined;
  target.createAgent = (cluster, options) => {
    const key = JSON.stringify([cluster?.server, cluster?.proxyUrl, options]);
    if (last?.key !== key) last = { key, agent: create(cluster, { ...options, keepAlive: true }) };
    return last.agent;
  };
}

/** The kubeconfig file to load, or undefined when none is named or present (then in-cluster). */
function kubeconfigPath(explicit: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const home = env.HOME ?? os.homedir();
  const expand = (p: string) => (p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p);
  if (explicit) return expand(explicit);
  const fromEnv = env.KUBECONFIG?.split(path.delimiter).find((p) => p !== '');
  if (fromEnv) return expand(fromEnv);
  const fallback = path.join(home, '.kube', 'config');
  return fs.existsSync(fallback) ? fallback : undefined;
}

function readTrimmed(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

/** The HTTP status of an error thrown by @kubernetes/client-node, or undefined for a network error. */
export function kubeStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A short, safe description of a client error (status and the API server's message, first line). */
export function kubeErrorMessage(err: unknown): string {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'the API server did not answer in time';
  const status = kubeStatus(err);
  const body = (err as { body?: unknown } | null)?.body;
  let message: string | undefined;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      if (typeof parsed.message === 'string') message = parsed.message;
    } catch {
      message = undefined;
    }
  } else if (body && typeof (body as { message?: unknown }).message === 'string') {
    message = (body as { message: string }).message;
  }
  const text = (message ?? firstLine(err)).split('\n')[0]?.slice(0, 300) ?? '';
  return status ? `HTTP ${status}: ${text}` : text;
}
