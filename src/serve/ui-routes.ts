/**
 * The status UI's HTTP side, for `serve` and for `ui --repo`: the pages (`/`, `/env/…`,
 * `/history`, `/history/<commit>`, `/drift`), `/events` (SSE) and `/assets/ui.<hash>.js|css`
 * (immutable). GET and HEAD only: the app answers anything else 405. For serve, an observer turns
 * each finished reconcile into live updates and keeps the last reconciles and the last plan's
 * drift diffs and tool-surface diffs (held in memory, never committed) for the pages.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FieldDiff } from '../core/plan.js';
import type { ToolsDrift } from '../surface/types.js';
import { assets } from '../ui/assets/assets.js';
import { SECURITY_HEADERS } from '../ui/headers.js';
import { liveLinks } from '../ui/links.js';
import { LiveUpdates } from '../ui/live-updates.js';
import type { RecentRun, ServeFacts } from '../ui/model/live.js';
import { publicRemote } from '../ui/model/live.js';
import { type SiteSource, UiSite } from '../ui/site.js';
import { SseHub, type SseOptions } from '../ui/sse.js';
import { readLastReport } from '../updates/last-report.js';
import type { LeadershipStatus } from './leader/serve-leadership.js';
import type { ReconcileEvent, Route, ServeObserver } from './types.js';

export interface UiServer {
  site: UiSite;
  hub: SseHub;
  live: LiveUpdates;
  routes: Route[];
  close(): void;
}

/** Pages, events and assets over a site. */
export function createUiServer(source: SiteSource, sse: SseOptions = {}): UiServer {
  const site = new UiSite(source);
  const hub = new SseHub(sse);
  const live = new LiveUpdates(site, hub);
  const page = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const { status, html } = await site.render(path, liveLinks);
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(html),
    });
    res.end(html);
  };
  const routes: Route[] = [
    { method: 'GET', path: '/', handle: page },
    { method: 'GET', path: '/env/', prefix: true, handle: page },
    { method: 'GET', path: '/history', handle: page },
    { method: 'GET', path: '/history/', prefix: true, handle: page },
    { method: 'GET', path: '/drift', handle: page },
    { method: 'GET', path: '/events', handle: (req, res) => hub.handle(req, res) },
    ...assets().map(
      (a): Route => ({
        method: 'GET',
        path: `/assets/${a.name}`,
        handle: (_req, res) => {
          res.writeHead(200, {
            ...SECURITY_HEADERS,
            'content-type': a.type,
            'cache-control': 'public, max-age=31536000, immutable',
            'content-length': Buffer.byteLength(a.body),
          });
          res.end(a.body);
        },
      }),
    ),
  ];
  return { site, hub, live, routes, close: () => hub.close() };
}

const RECENT = 20;

function leadershipFact(l: LeadershipStatus | undefined): Pick<ServeFacts, 'leadership'> {
  return l ? { leadership: { ...l } } : {};
}

export interface ServeUiOptions {
  checkout(): string;
  reportsDir(): string;
  remote: string;
  branch: string;
  ready(): boolean;
  /** `--leader-elect`: this replica's role and the leader, shown with serve's facts. */
  leadership?: () => LeadershipStatus | undefined;
  /** `--updates-interval`: the folder of the last updates report (the overview's Updates section). */
  updates?: string;
  sse?: SseOptions;
}

/** The UI of `serve`: the pages plus an observer of finished reconciles. */
export function createServeUi(options: ServeUiOptions): UiServer & { observer: ServeObserver } {
  const recent: RecentRun[] = [];
  let lastSync: string | undefined;
  const drift = new Map<string, readonly FieldDiff[]>();
  const tools = new Map<string, ToolsDrift>();
  const facts = (): ServeFacts => ({
    remote: publicRemote(options.remote),
    branch: options.branch,
    ...(lastSync ? { lastSync } : {}),
    role: 'serve (reconciler)',
    ...leadershipFact(options.leadership?.()),
    synced: options.ready(),
  });
  const ui = createUiServer(
    {
      checkout: options.checkout,
      reportsDir: options.reportsDir,
      remote: options.remote,
      live: {
        facts,
        recent,
        driftDiffs: (env, target, server) => drift.get(`${env}\u0000${target}\u0000${server}`) ?? [],
        toolsDrift: (env, target, server) => tools.get(`${env}\u0000${target}\u0000${server}`),
      },
      ...(options.updates ? { updates: () => readLastReport(options.updates as string) } : {}),
    },
    options.sse,
  );
  const observer: ServeObserver = {
    reconciled: (e: ReconcileEvent) => {
      const finishedAt = new Date(e.finishedAt).toISOString();
      if (!e.error) lastSync = finishedAt;
      recent.unshift({
        finishedAt,
        environment: e.environment,
        trigger: e.trigger,
        result: e.error ? 'error' : e.result?.failed ? 'failed' : 'ok',
        revision: (e.revision ?? '').slice(0, 12),
        seconds: e.durationSeconds,
      });
      if (recent.length > RECENT) recent.pop();
      for (const t of e.result?.plan.targets ?? []) {
        if (t.environment !== e.environment) continue;
        for (const c of t.changes) {
          const key = `${t.environment}\u0000${t.target}\u0000${c.server}`;
          if (c.reason === 'drift') drift.set(key, c.diffs);
          else drift.delete(key);
          if (c.tools) tools.set(key, c.tools);
          else tools.delete(key);
        }
      }
      ui.live.check([{ kind: 'reconcile', env: e.environment }]);
    },
  };
  return { ...ui, observer };
}
