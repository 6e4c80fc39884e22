/**
 * Is this parsed JSON a last updates report? The last report is a file on disk (written by
 * `updates` or by `serve`'s schedule, but anyone who can write the state folder can change it), so
 * the status page, the metrics and `ui` use it only after every field they read has been checked
 * here. Pure: no I/O. Registry text inside (versions, details) is still untrusted after this: it
 * is escaped where shown and shape-checked before it reaches a metric label.
 */
import type {
  HeldRelease,
  PullRequestOutcome,
  Release,
  ServerUpdates,
  SourceKind,
  UpdatesReport,
} from './types.js';

/** What the last-report file holds. */
export interface LastReport {
  /** When it was saved (ISO 8601). */
  savedAt: string;
  report: UpdatesReport;
  /** What `--open-prs` did in that run; absent when it did not open pull requests. */
  outcomes?: PullRequestOutcome[];
}

const KINDS: readonly SourceKind[] = ['npm', 'pypi', 'oci', 'mcp'];
const HELD: readonly HeldRelease['reason'][] = [
  'ignored',
  'too-young',
  'not-allowed',
  'withdrawn',
  'prerelease',
  'no-digest',
];
const ACTIONS: readonly PullRequestOutcome['action'][] = [
  'opened',
  'updated',
  'unchanged',
  'closed-before',
  'outside-schedule',
  'failed',
];

/** Strings longer than this are not something we wrote. */
const MAX_TEXT = 8192;
/** Servers and outcomes in one report (a config with more is not one we check in one run). */
const MAX_ITEMS = 100_000;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT;
const optText = (v: unknown) => v === undefined || isText(v);
const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const textList = (v: unknown) => Array.isArray(v) && v.length <= MAX_ITEMS && v.every(isText);
const optTextList = (v: unknown) => v === undefined || textList(v);
const isTime = (v: unknown) => isText(v) && !Number.isNaN(Date.parse(v));

function isRelease(v: unknown): v is Release {
  return (
    isObj(v) &&
    isText(v.version) &&
    optText(v.publishedAt) &&
    optText(v.digest) &&
    optText(v.url) &&
    (v.withdrawn === undefined || typeof v.withdrawn === 'boolean')
  );
}

function isHeld(v: unknown): v is HeldRelease {
  return isObj(v) && isText(v.version) && HELD.includes(v.reason as never) && isText(v.detail);
}

function isServer(v: unknown): v is ServerUpdates {
  return (
    isObj(v) &&
    isText(v.server) &&
    textList(v.environments) &&
    textList(v.targets) &&
    KINDS.includes(v.kind as never) &&
    isText(v.identifier) &&
    isText(v.current) &&
    isObj(v.policy) &&
    optText(v.registry) &&
    Array.isArray(v.allowed) &&
    v.allowed.every(isRelease) &&
    Array.isArray(v.held) &&
    v.held.every(isHeld) &&
    optText(v.error) &&
    optText(v.skipped) &&
    (v.proposed === undefined || (isRelease(v.proposed) && isText((v.proposed as unknown as Obj).pin))) &&
    optTextList(v.warnings)
  );
}

function isOutcome(v: unknown): v is PullRequestOutcome {
  return (
    isObj(v) &&
    isText(v.name) &&
    isText(v.branch) &&
    ACTIONS.includes(v.action as never) &&
    textList(v.versions) &&
    (v.number === undefined || isCount(v.number)) &&
    optText(v.url) &&
    optText(v.detail)
  );
}

function isReport(v: unknown): v is UpdatesReport {
  return (
    isObj(v) &&
    isText(v.revision) &&
    isTime(v.checkedAt) &&
    Array.isArray(v.servers) &&
    v.servers.length <= MAX_ITEMS &&
    v.servers.every(isServer) &&
    isCount(v.requests) &&
    isNumber(v.durationMs)
  );
}

/** The last report, or why this value is not one (a short reason, safe to print). */
export function checkLastReport(value: unknown): { last: LastReport } | { problem: string } {
  if (!isObj(value)) return { problem: 'not a JSON object' };
  if (!isTime(value.savedAt)) return { problem: 'savedAt is not a time' };
  if (!isReport(value.report)) return { problem: 'report is not an updates report' };
  const { outcomes } = value;
  if (
    outcomes !== undefined &&
    !(Array.isArray(outcomes) && outcomes.length <= MAX_ITEMS && outcomes.every(isOutcome))
  )
    return { problem: 'outcomes are not pull request outcomes' };
  return {
    last: {
      savedAt: value.savedAt as string,
      report: value.report,
      ...(outcomes ? { outcomes: outcomes as PullRequestOutcome[] } : {}),
    },
  };
}
