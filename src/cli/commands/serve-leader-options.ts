/**
 * `serve`'s options for running as several replicas: `--leader-elect` (a coordination.k8s.io/v1
 * Lease decides which replica reconciles; src/serve/leader/) and `--shard-selector` (this replica
 * handles only environments whose labels match, with one Lease per shard). Parsed here into
 * startServe's `leader` and `shard`; the Kubernetes credentials come from connectKube.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import type { Command } from 'commander';
import type { Registry } from 'prom-client';
import { McpGitopsError } from '../../core/errors.js';
import type { Logger } from '../../log/logger.js';
import type { ServeOptions } from '../../serve/start-serve.js';
import { parseDuration } from '../parse-duration.js';

export interface LeaderFlags {
  leaderElect?: boolean;
  leaderElectNamespace?: string;
  leaderElectLease: string;
  leaderElectKubeconfig?: string;
  leaderElectContext?: string;
  leaderElectAdvertiseUrl?: string;
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  shardSelector?: string;
}

export const DEFAULT_LEASE = 'mcp-gitops-leader';

export function addLeaderOptions(command: Command): Command {
  return command
    .option(
      '--leader-elect',
      'run as one of several replicas: only the holder of a coordination.k8s.io/v1 Lease reconciles; the others hand webhooks to it',
    )
    .option(
      '--leader-elect-namespace <ns>',
      "the Lease's namespace (default: the pod's own in a cluster, else the kubeconfig context's)",
    )
    .option('--leader-elect-lease <name>', "the Lease's name (a shard adds a suffix)", DEFAULT_LEASE)
    .option(
      '--leader-elect-kubeconfig <file>',
      'kubeconfig for the Lease (default: in-cluster ServiceAccount, else $KUBECONFIG or ~/.kube/config)',
    )
    .option('--leader-elect-context <name>', 'a context of that kubeconfig (default: its current one)')
    .option(
      '--leader-elect-advertise-url <url>',
      'where the other replicas forward pull request deliveries while this one leads (default: http://$POD_IP:<--listen port>)',
    )
    .option('--lease-duration <duration>', 'how long a Lease holds without renewal (whole seconds)', '15s')
    .option(
      '--renew-deadline <duration>',
      'a leader that could not renew for this long stops acting (below --lease-duration)',
      '10s',
    )
    .option('--retry-period <duration>', 'how often the Lease is read, renewed or tried', '2s')
    .option(
      '--shard-selector <key=value,...>',
      'handle only environments whose metadata.labels match (with --leader-elect: one Lease per shard)',
    );
}

/** The flags → startServe's `leader` and `shard` (both absent without the flags). */
export async function leaderSettings(
  flags: LeaderFlags,
  context: { listenPort: number; registry: Registry; logger: Logger; fleet: boolean },
): Promise<Pick<ServeOptions, 'leader' | 'shard'>> {
  const [{ parseShardSelector, formatShardSelector, shardLeaseName }, { timingProblem }] = await Promise.all([
    import('../../serve/leader/shard-selector.js'),
    import('../../serve/leader/lease-decision.js'),
  ]);
  const shard = flags.shardSelector !== undefined ? parseShardSelector(flags.shardSelector) : undefined;
  const timings = {
    leaseDurationMs: parseDuration(flags.leaseDuration, '--lease-duration'),
    renewDeadlineMs: parseDuration(flags.renewDeadline, '--renew-deadline'),
    retryPeriodMs: parseDuration(flags.retryPeriod, '--retry-period'),
  };
  if (!flags.leaderElect) {
    const given = [
      flags.leaderElectNamespace,
      flags.leaderElectKubeconfig,
      flags.leaderElectContext,
      flags.leaderElectAdvertiseUrl,
    ].some((v) => v !== undefined);
    if (given || flags.leaderElectLease !== DEFAULT_LEASE)
      throw new McpGitopsError('ERR_USAGE', 'the --leader-elect-* options need --leader-elect');
    return shard ? { shard } : {};
  }
  if (context.fleet)
    throw new McpGitopsError('ERR_USAGE', '--fleet cannot be combined with --leader-elect', {
      hint: "the fleet hub keeps enrolments in its replica's state dir: run it as one replica without --leader-elect",
    });
  const problem = timingProblem(timings);
  if (problem) throw new McpGitopsError('ERR_USAGE', problem, { hint: 'defaults: 15s, 10s, 2s' });
  if (!LEASE_NAME.test(flags.leaderElectLease))
    throw new McpGitopsError(
      'ERR_USAGE',
      `--leader-elect-lease ${JSON.stringify(flags.leaderElectLease.slice(0, 100))} is not a Kubernetes object name`,
      { hint: 'lowercase letters, digits, - and ., e.g. mcp-gitops-leader' },
    );
  const advertiseUrl = advertised(flags.leaderElectAdvertiseUrl, context.listenPort);
  const [{ connectKube }, { kubeLeaseStore }, { LeaderElector }, { createLeaderMetrics }] = await Promise.all(
    [
      import('../../kube/connect.js'),
      import('../../serve/leader/lease-store.js'),
      import('../../serve/leader/leader-elector.js'),
      import('../../serve/leader/leader-metrics.js'),
    ],
  );
  const kube = connectKube({
    ...(flags.leaderElectKubeconfig ? { kubeconfig: flags.leaderElectKubeconfig } : {}),
    ...(flags.leaderElectContext ? { context: flags.leaderElectContext } : {}),
    ...(flags.leaderElectNamespace ? { namespace: flags.leaderElectNamespace } : {}),
  });
  const name = shard ? shardLeaseName(flags.leaderElectLease, shard) : flags.leaderElectLease;
  const store = kubeLeaseStore(kube.coordination, kube.namespace, name);
  const identity = `${os.hostname()}_${randomBytes(4).toString('hex')}`;
  const elector = new LeaderElector({
    store,
    identity,
    timings,
    logger: context.logger,
    ...(advertiseUrl ? { advertiseUrl } : {}),
  });
  context.logger.info(
    { lease: `${kube.namespace}/${name}`, identity, server: kube.server, source: kube.source },
    'leader election',
  );
  return {
    leader: {
      elector,
      ...(advertiseUrl ? { advertiseUrl } : {}),
      metrics: createLeaderMetrics(context.registry, `${kube.namespace}/${name}`, identity),
      ...(shard ? { shard: formatShardSelector(shard) } : {}),
    },
    ...(shard ? { shard } : {}),
  };
}

const LEASE_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** `--leader-elect-advertise-url`, else `http://$POD_IP:<port>` in a pod, else none (PRs: 503 on followers). */
function advertised(flag: string | undefined, port: number): string | undefined {
  if (flag !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(flag);
    } catch {
      url = undefined;
    }
    if (url && (url.username || url.password))
      throw new McpGitopsError('ERR_USAGE', '--leader-elect-advertise-url must not carry credentials', {
        hint: 'e.g. --leader-elect-advertise-url http://$(POD_IP):8080: forwarded deliveries are signed already',
      });
    if (!url || !/^https?:$/.test(url.protocol))
      throw new McpGitopsError(
        'ERR_USAGE',
        `--leader-elect-advertise-url ${JSON.stringify(flag.slice(0, 200))} is not an http(s) URL`,
        {
          hint: 'e.g. --leader-elect-advertise-url http://$(POD_IP):8080 (no credentials in it)',
        },
      );
    return url.origin;
  }
  const ip = process.env.POD_IP?.trim();
  if (!ip) return undefined;
  return ip.includes(':') ? `http://[${ip}]:${port}` : `http://${ip}:${port}`;
}
