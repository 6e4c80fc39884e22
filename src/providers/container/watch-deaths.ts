/**
 * Learn of a container's death from the engine's events, not from the next interval: one
 * long-lived `GET /events` stream per target (Docker Engine API, Podman's compatible service),
 * filtered to the target's owned containers, on a local socket or on the one forwarded over the
 * host's ssh control master. Each death of a server's container is reported at once with its
 * reason (exit code, a kill request before it, out of memory, last log lines, redacted); further
 * deaths of the same server in the following window are one report ("keeps exiting: died N
 * times …"), the window doubling while it keeps dying, so a crash loop is reported as one.
 * mcp-gitops's own stops in this process (an update's swap, a delete) are not deaths.
 *
 * The stream is re-opened with backoff when it ends (engine restarted, ssh master gone), asking
 * the engine for the events since the last one seen, so a death while it was away is still told.
 * The engine owner starts it from its long-running loop and closes it on shutdown; the `ctx`
 * (its host) must live as long as the watcher.
 */
import { redactor } from '../../log/redact.js';
import type { ProviderContext } from '../types.js';
import { lastLogLines } from './container-down.js';
import { LABELS, ownerLabels } from './container-labels.js';
import { inspectContainer } from './engine-api.js';
import type { EngineClient, EngineStream } from './engine-client.js';
import { engineClient } from './engine-connection.js';
import { exitExpected } from './expected-exits.js';

export interface ContainerDeath {
  server: string;
  /** The container's name. */
  container: string;
  id: string;
  exitCode?: number;
  /** A kill or stop request came first (`podman kill`, `docker stop`, …), not a crash. */
  killed: boolean;
  oom: boolean;
  /** Deaths this report stands for: 1, or more for deaths coalesced in one window (a crash loop). */
  deaths: number;
  /** The engine's time of the (last) death, ms since the epoch. */
  at: number;
}

export interface DeathWatchOptions {
  /** Deaths of one server within this long after a report make one report; doubles to 60 s. Default 2000. */
  coalesceMs?: number;
  /** The stream could not be opened or ended; the watcher tries again with backoff. */
  onError?: (reason: string) => void;
}

export interface DeathWatch {
  /** Resolves when the watcher first listens to the engine (never rejects; errors go to onError). */
  ready: Promise<void>;
  close(): void;
}

interface EngineEvent {
  Type?: string;
  Action?: string;
  id?: string;
  time?: number;
  timeNano?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

const MAX_COALESCE_MS = 60_000;
const MAX_BACKOFF_MS = 10_000;
const REASON_TIMEOUT_MS = 1000;
const SEEN_LIMIT = 1000;

export function watchContainerDeaths(
  ctx: ProviderContext,
  onDeath: (server: string, reason: string, death: ContainerDeath) => void,
  options: DeathWatchOptions = {},
): DeathWatch {
  const owner = ownerLabels(ctx.environment.name, ctx.target.name);
  const coalesceMs = options.coalesceMs ?? 2000;
  const onError = options.onError ?? ((reason) => ctx.logger.warn({ reason }, 'container events'));
  const seen = new Set<string>();
  const kills = new Map<string, number>();
  const ooms = new Map<string, number>();
  const windows = new Map<string, { timer: NodeJS.Timeout; count: number; last?: ContainerDeath }>();
  let closed = false;
  let stream: EngineStream | undefined;
  let client: EngineClient | undefined;
  let startMs: number | undefined;
  let lastMs = 0;
  let wake: (() => void) | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const deliver = async (death: ContainerDeath, windowMs?: number) => {
    const reason = await deathReason(ctx, client, death, windowMs);
    if (closed) return;
    try {
      onDeath(death.server, reason, death);
    } catch (err) {
      ctx.logger.warn({ reason: (err as Error).message }, 'onDeath failed');
    }
  };

  const openWindow = (server: string, span: number) => {
    const window: { timer: NodeJS.Timeout; count: number; last?: ContainerDeath } = {
      count: 0,
      timer: setTimeout(() => {
        windows.delete(server);
        if (window.count === 0 || !window.last) return;
        void deliver({ ...window.last, deaths: window.count }, span);
        openWindow(server, Math.min(span * 2, MAX_COALESCE_MS));
      }, span),
    };
    window.timer.unref();
    windows.set(server, window);
  };

  const onLine = (line: string) => {
    let event: EngineEvent;
    try {
      event = JSON.parse(line) as EngineEvent;
    } catch {
      return;
    }
    const attrs = event.Actor?.Attributes ?? {};
    if (event.Type !== 'container' || !Object.entries(owner).every(([k, v]) => attrs[k] === v)) return;
    const at = event.timeNano ? event.timeNano / 1e6 : (event.time ?? 0) * 1000;
    if (startMs !== undefined && at < startMs) return;
    const id = event.Actor?.ID ?? event.id ?? '';
    const key = `${id}|${event.Action}|${event.timeNano ?? event.time}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
    lastMs = Math.max(lastMs, at);
    if (event.Action === 'kill') kills.set(id, at);
    else if (event.Action === 'oom') ooms.set(id, at);
    else if (event.Action === 'die' || event.Action === 'died') {
      const server = attrs[LABELS.server];
      const name = attrs.name ?? '';
      const killed = (kills.get(id) ?? Number.NEGATIVE_INFINITY) >= at - 10_000;
      const oom = (ooms.get(id) ?? Number.NEGATIVE_INFINITY) >= at - 10_000;
      kills.delete(id);
      ooms.delete(id);
      if (!server || /\.(next|previous)$/.test(name) || exitExpected(id, name)) return;
      const code = Number(attrs.exitCode ?? attrs.containerExitCode);
      const death: ContainerDeath = {
        server,
        container: name,
        id,
        ...(Number.isFinite(code) ? { exitCode: code } : {}),
        killed,
        oom,
        deaths: 1,
        at,
      };
      const window = windows.get(server);
      if (window) {
        window.count++;
        window.last = death;
        return;
      }
      openWindow(server, coalesceMs);
      void deliver(death);
    }
  };

  // No `event` filter: Podman filters on its own names ("died"), Docker on its ("die"). Podman
  // ORs several `label` filters where Docker ANDs them: every event is checked here as well.
  const filters = JSON.stringify({
    type: ['container'],
    label: Object.entries(owner).map(([k, v]) => `${k}=${v}`),
  });

  const listen = async () => {
    let backoff = 250;
    while (!closed) {
      try {
        client = await engineClient(ctx);
        startMs ??= await engineNow(client);
        // Whole seconds, one early: events already seen are skipped, none in between is lost.
        const since = Math.floor(Math.max(lastMs, startMs) / 1000) - 1;
        const opened = await client.stream(
          { method: 'GET', path: '/events', query: { since, filters }, timeoutMs: 15_000 },
          onLine,
        );
        if (closed) {
          opened.close();
          return;
        }
        stream = opened;
        backoff = 250;
        markReady();
        const why = await opened.ended;
        stream = undefined;
        if (closed) return;
        onError(`${why ?? 'the events stream ended'}; listening again`);
      } catch (err) {
        if (closed) return;
        onError(redactor.redact(`cannot listen to container events: ${(err as Error).message}`));
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoff);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  };
  void listen();

  return {
    ready,
    close() {
      closed = true;
      stream?.close();
      wake?.();
      for (const window of windows.values()) clearTimeout(window.timer);
      windows.clear();
    },
  };
}

/** The engine's clock now (ms): `/info`'s SystemTime, else its `Date` header, else ours. */
async function engineNow(client: EngineClient): Promise<number> {
  const res = await client.send({ method: 'GET', path: '/info', timeoutMs: 15_000 });
  try {
    const time = Date.parse(
      (JSON.parse(res.body.toString('utf8')) as { SystemTime?: string }).SystemTime ?? '',
    );
    if (Number.isFinite(time)) return time;
  } catch {
    // not JSON: use the header
  }
  return res.date ?? Date.now();
}

async function deathReason(
  ctx: ProviderContext,
  client: EngineClient | undefined,
  death: ContainerDeath,
  windowMs?: number,
): Promise<string> {
  const how = [
    ...(death.exitCode === undefined ? [] : [`exit code ${death.exitCode}`]),
    ...(death.killed ? ['after a kill or stop request'] : []),
    ...(death.oom ? ['out of memory'] : []),
  ].join(', ');
  const what =
    death.deaths > 1
      ? `keeps exiting: died ${death.deaths} times in ${Math.round((windowMs ?? 0) / 1000)} s${how ? ` (last: ${how})` : ''}`
      : `died${how ? ` (${how})` : ''}`;
  let lines = '';
  if (client) {
    const logs = (async () => {
      const details = await inspectContainer(client, death.id);
      return details ? lastLogLines(client, details, ctx.redact) : '';
    })().catch(() => '');
    const timeout = new Promise<string>((resolve) => setTimeout(resolve, REASON_TIMEOUT_MS, '').unref());
    lines = await Promise.race([logs, timeout]);
  }
  return redactor.redact(`container ${death.container} ${what}${lines ? `; last log lines: ${lines}` : ''}`);
}
