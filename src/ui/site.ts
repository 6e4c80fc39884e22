/**
 * The status UI as one object: a site path in, a page out. Serve, `ui --repo` and the static
 * export all render through here, so the three show the same pages. Reports are read once per
 * render through the mtime cache; git history once per HEAD; every page is redacted as a whole
 * after its values were escaped (and redacted) one by one.
 */
import { redactor } from '../log/redact.js';
import type { LastReportRead } from '../updates/last-report.js';
import { esc } from './escape.js';
import { forgeOf } from './forge.js';
import type { Links } from './links.js';
import { environmentModel, lastChecked } from './model/environment.js';
import { HealthLog } from './model/health-log.js';
import type { LiveState } from './model/live.js';
import { overviewModel } from './model/overview.js';
import { serverModel } from './model/server.js';
import { updatesModel } from './model/updates.js';
import { HealthHistoryReader } from './read-health-history.js';
import { HistoryReader } from './read-history.js';
import { LockReader } from './read-locks.js';
import { ReportReader, type ReportSet } from './read-reports.js';
import { SpecReader } from './read-spec.js';
import { type DriftDiffs, driftMain } from './render/drift.js';
import { environmentMain } from './render/environment.js';
import { historyMain, runMain } from './render/history.js';
import { layout } from './render/layout.js';
import { overviewMain } from './render/overview.js';
import { serverMain } from './render/server.js';
import { updatesSection } from './render/updates.js';

export interface SiteSource {
  /** The checkout's work tree (reports, tool locks, .git). */
  checkout(): string;
  /** The reports folder, relative to the checkout (`reports`). */
  reportsDir(): string;
  /** The tracked remote (for forge links; never shown with credentials). */
  remote: string;
  /** What a running process adds (facts, last reconciles, last plan's drift diffs). */
  live?: LiveState & { driftDiffs?: DriftDiffs };
  /** The last updates run saved for this checkout (the overview's Updates section); absent: no section. */
  updates?: () => Promise<LastReportRead>;
}

export interface Page {
  status: number;
  html: string;
}

export class UiSite {
  readonly reports: ReportReader;
  readonly locks: LockReader;
  readonly history: HistoryReader;
  readonly specs: SpecReader;
  readonly healthHistory: HealthHistoryReader;
  readonly healthLog = new HealthLog();

  constructor(private readonly source: SiteSource) {
    this.reports = new ReportReader(() => `${source.checkout()}/${source.reportsDir()}`);
    this.locks = new LockReader(() => source.checkout());
    this.history = new HistoryReader(() => source.checkout());
    this.specs = new SpecReader(() => source.checkout());
    this.healthHistory = new HealthHistoryReader(() => source.checkout());
  }

  /** The page at a site path (already URL-decoded segments are not expected: this decodes). */
  async render(sitePath: string, links: Links): Promise<Page> {
    const segs = segments(sitePath);
    if (segs === undefined) return this.notFound(sitePath, links);
    const path = `/${segs.map((s) => encodeURIComponent(s)).join('/')}`;
    const set = this.reports.read();
    const [first, second, third, fourth] = segs;
    const forge = forgeOf(this.source.remote);
    const page = (title: string, main: string, extra: { env?: string; refreshOn?: string } = {}): Page => ({
      status: 200,
      html: redactor.redact(layout({ title, path, main, links, ...extra })),
    });
    if (segs.length === 0) {
      const history = await this.history.read();
      const updates = this.source.updates ? updatesSection(updatesModel(await this.source.updates())) : '';
      return page(
        'Overview',
        overviewMain(
          overviewModel(
            set,
            history.tags.map((t) => t.name),
            this.source.live,
          ),
          links,
        ) + updates,
      );
    }
    if (first === 'env' && second !== undefined && segs.length === 2) {
      const m = environmentModel(set, second);
      if (m) m.checked = lastChecked(second, this.source.live?.recent, (await this.history.read()).runs);
      return m
        ? page(`Environment ${second}`, environmentMain(m, links), { env: second })
        : this.notFound(sitePath, links);
    }
    if (
      first === 'env' &&
      second !== undefined &&
      third === 'server' &&
      fourth !== undefined &&
      segs.length === 4
    ) {
      const m = serverModel(set, second, fourth, {
        lock: (server, version) => this.locks.read(server, version),
        healthLog: (e, t, s) => this.healthLog.get(e, t, s),
        ...(this.source.live?.toolsDrift ? { toolsDrift: this.source.live.toolsDrift } : {}),
      });
      if (m) {
        const { runs } = await this.history.read();
        for (const t of m.targets) {
          if (t.entry) t.applied = await this.specs.spec(t.appliedRevision, second, t.target, fourth);
          t.recorded = await this.healthHistory.read(runs, this.source.reportsDir(), {
            environment: second,
            target: t.target,
            server: fourth,
          });
        }
      }
      return m
        ? page(`${fourth} in ${second}`, serverMain(m, links, forge), { env: second })
        : this.notFound(sitePath, links);
    }
    if (first === 'history' && segs.length === 1) {
      const h = await this.history.read();
      return page('History', historyMain(h, links, forge), { refreshOn: 'reconcile' });
    }
    if (first === 'history' && second !== undefined && segs.length === 2) {
      const d = await this.history.run(second, this.source.reportsDir());
      return d
        ? page(d.run.subject, runMain(d, links, forge), { refreshOn: '' })
        : this.notFound(sitePath, links);
    }
    if (first === 'drift' && segs.length === 1)
      return page('Drift', driftMain(set, links, this.source.live?.driftDiffs), {
        refreshOn: 'drift reconcile',
      });
    return this.notFound(sitePath, links);
  }

  /** Every page of the site (for the static export): overview, environments, servers, history, runs, drift. */
  async paths(): Promise<string[]> {
    const set: ReportSet = this.reports.read();
    const out = ['/', '/history', '/drift'];
    const envs = new Set<string>();
    const servers = new Set<string>();
    for (const r of set.reports) {
      envs.add(r.environment);
      for (const name of [
        ...r.inventory.map((e) => e.server),
        ...r.lastApply.filter((a) => a.quarantined).map((a) => a.server),
      ])
        servers.add(`${r.environment}\u0000${name}`);
    }
    for (const e of [...envs].sort()) out.push(`/env/${encodeURIComponent(e)}`);
    for (const k of [...servers].sort()) {
      const [e, s] = k.split('\u0000') as [string, string];
      out.push(`/env/${encodeURIComponent(e)}/server/${encodeURIComponent(s)}`);
    }
    for (const r of (await this.history.read()).runs) out.push(`/history/${r.oid}`);
    return out;
  }

  private notFound(sitePath: string, links: Links): Page {
    return {
      status: 404,
      html: redactor.redact(
        layout({
          title: 'Not found',
          path: '/404',
          links,
          refreshOn: '',
          main: `<h1>Not found</h1><p>Nothing at <code>${esc(sitePath)}</code>. <a href="${esc(links.page('/'))}">Overview</a></p>`,
        }),
      ),
    };
  }
}

/** Decoded path segments (a trailing slash ignored), or undefined for a malformed escape. */
function segments(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}
