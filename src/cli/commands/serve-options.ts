/**
 * `serve`'s options that are parsed into settings rather than passed through: where to listen, and
 * the fleet hub's flags. Kept beside serve.ts (as serve-pull-requests.ts is) so that file stays a
 * list of options and the wiring of one command.
 */
import { isIP } from 'node:net';
import { McpGitopsError } from '../../core/errors.js';
import type { FleetMetrics } from '../../metrics/fleet-metrics.js';
import type { UpdateMetrics } from '../../metrics/update-metrics.js';
import type { ServeOptions } from '../../serve/start-serve.js';
import { parseDuration } from '../parse-duration.js';

export interface FleetFlags {
  fleet?: boolean;
  fleetPublicHost?: string;
  fleetStaleAfter?: string;
  fleetAggregateDelay?: string;
}

/** `--fleet*` → startServe's `fleet` (absent without `--fleet`; the other two need it). */
export function fleetSettings(
  flags: FleetFlags,
  fleetMetrics: () => FleetMetrics,
): Pick<ServeOptions, 'fleet'> {
  if (!flags.fleet) {
    if (
      flags.fleetPublicHost !== undefined ||
      flags.fleetStaleAfter !== undefined ||
      flags.fleetAggregateDelay !== undefined
    )
      throw new McpGitopsError(
        'ERR_USAGE',
        '--fleet-public-host, --fleet-stale-after and --fleet-aggregate-delay need --fleet',
      );
    return {};
  }
  const host = flags.fleetPublicHost;
  if (host !== undefined && !isHostNameOrIp(host))
    throw new McpGitopsError(
      'ERR_USAGE',
      `--fleet-public-host ${JSON.stringify(host)} is not a host name or IP address`,
      {
        hint: 'a name or address only, no scheme or port: --fleet-public-host hub.example.com',
      },
    );
  return {
    fleet: {
      ...(host !== undefined ? { publicHost: host } : {}),
      staleAfterMs: parseDuration(flags.fleetStaleAfter ?? '1h', '--fleet-stale-after'),
      aggregateDebounceMs: parseDuration(flags.fleetAggregateDelay ?? '5s', '--fleet-aggregate-delay'),
      metrics: fleetMetrics(),
    },
  };
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** A DNS name (labels of letters, digits and inner hyphens) or an IPv4/IPv6 address; nothing else. */
export function isHostNameOrIp(value: string): boolean {
  return isIP(value) !== 0 || HOST_NAME.test(value);
}

/** `--listen HOST:PORT` (`[v6]:PORT` for IPv6; an empty host is loopback). */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535) {
    throw new McpGitopsError('ERR_USAGE', `--listen ${value} is not HOST:PORT`, {
      hint: 'e.g. --listen 127.0.0.1:8080 (use 0.0.0.0:8080 only behind a proxy)',
    });
  }
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

export interface UpdatesFlags {
  updatesInterval?: string;
  updatesOpenPrs?: boolean;
}

/** `--updates-interval` (a duration of at least 1s; hours in practice) and `--updates-open-prs`. */
export function updatesSettings(
  flags: UpdatesFlags,
  metrics: () => UpdateMetrics,
): Pick<ServeOptions, 'updates'> {
  const value = flags.updatesInterval;
  if (value === undefined || value.trim() === '0') {
    if (flags.updatesOpenPrs)
      throw new McpGitopsError('ERR_USAGE', '--updates-open-prs needs --updates-interval', {
        hint: 'e.g. --updates-interval 6h --updates-open-prs',
      });
    return {};
  }
  const intervalMs = parseDuration(value, '--updates-interval');
  if (intervalMs < 1000)
    throw new McpGitopsError('ERR_USAGE', `--updates-interval ${value} is shorter than 1s`, {
      hint: 'every run asks the registry of each server: e.g. --updates-interval 6h',
    });
  return { updates: { intervalMs, openPullRequests: flags.updatesOpenPrs === true, metrics: metrics() } };
}
