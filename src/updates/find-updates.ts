/**
 * One run of update finding over the config repo: read and validate the config the way `plan`
 * does, collect every server pin, ask each package's registry ONCE per (kind, identifier, pinned
 * version) with bounded concurrency, and apply each pin's policy to the answer. One registry
 * failing marks its servers with an error; the others go on. Nothing here writes anything, and no
 * credential reaches the report: access is resolved per query and only handed to the source.
 */
import { formatDiagnostic } from '../core/diagnostics.js';
import { createSecretResolver } from '../secrets/resolve-secret.js';
import { collectPins, type ServerPin } from './collect-pins.js';
import { loadUpdatesConfig } from './load-updates-config.js';
import { selectUpdates } from './policy/select-updates.js';
import { splitPin } from './policy/versions.js';
import { isDigestText, safeMessage, safeRelease } from './safe-text.js';
import { resolveAccess } from './sources/access.js';
import { originOf, UpdateSourceError } from './sources/errors.js';
import { versionSource } from './sources/index.js';
import type { Release, ServerUpdates, SourceKind, UpdatesReport, VersionListing } from './types.js';

export interface FindUpdatesOptions {
  /** The config repo (a git work tree). */
  dir: string;
  /** Read the config at this revision; default the config revision of HEAD (as `plan`). */
  revision?: string;
  /** Read the working tree instead of a commit. */
  worktree?: boolean;
  /** Only these environments; default all. */
  environments?: string[];
  now?: Date;
  signal?: AbortSignal;
  /** Registry queries at once; default 8. */
  concurrency?: number;
  /** For `env:` references and the user's npm config; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where `~/.npmrc` and `file:~/` references live; default `$HOME`. */
  homeDir?: string;
  /** Coarse progress for people (the CLI's progress line): a few lines per run, never per package. */
  progress?: (text: string) => void;
  /** Each config warning as `FILE:LINE:COL: warning: …` (validation, uncommitted edits), as plan prints them. */
  warning?: (line: string) => void;
}

export const DEFAULT_CONCURRENCY = 8;

type Answer = { listing: VersionListing } | { error: string; registry?: string };

export async function findUpdates(options: FindUpdatesOptions): Promise<UpdatesReport> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const progress = options.progress ?? (() => {});
  progress('reading the config');
  const { config, desired, revision, warnings } = await loadUpdatesConfig(options);
  for (const w of warnings) options.warning?.(formatDiagnostic(w));
  const pins = collectPins(config, desired);
  const registries = config.repository?.value.spec.updates?.registries;
  const secrets = createSecretResolver({
    repoRoot: config.root,
    ...(options.env ? { env: options.env } : {}),
    ...(options.homeDir ? { home: options.homeDir } : {}),
  });
  const signal = options.signal ?? new AbortController().signal;
  let requests = 0;

  const queries = new Map<string, { kind: SourceKind; identifier: string; current: string }>();
  for (const pin of pins) {
    if (!pin.skipped)
      queries.set(queryKey(pin), { kind: pin.kind, identifier: pin.identifier, current: pin.current });
  }
  const answers = new Map<string, Answer>();
  const total = queries.size;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY) || 1);
  if (total > 0)
    progress(`asking registries about ${total} package${total === 1 ? '' : 's'}, ${concurrency} at a time`);
  const step = Math.max(1, Math.ceil(total / 10));
  await eachLimited([...queries], concurrency, async ([key, query]) => {
    let registry: string | undefined;
    try {
      const access = await resolveAccess({
        ...query,
        registries,
        resolveSecret: (ref) => secrets.resolve(ref),
        ...(options.env ? { env: options.env } : {}),
        ...(options.homeDir ? { homeDir: options.homeDir } : {}),
      });
      registry = originOf(access.url);
      const source = await versionSource(query.kind);
      const listing = await source.list(query, { access, signal, countRequest: () => void requests++ });
      answers.set(key, { listing });
    } catch (err) {
      if (signal.aborted) throw err;
      answers.set(key, { error: errorText(err), ...(registry ? { registry } : {}) });
    }
    if (answers.size % step === 0 && answers.size < total)
      progress(`${answers.size}/${total} packages checked`);
  });

  const servers = pins.map((pin) => buildServerUpdates(pin, answers.get(queryKey(pin)), now));
  return {
    revision,
    checkedAt: now.toISOString(),
    servers,
    requests,
    durationMs: Date.now() - started,
  };
}

function queryKey(pin: ServerPin): string {
  return `${pin.kind}\0${pin.identifier}\0${pin.current}`;
}

function buildServerUpdates(pin: ServerPin, answer: Answer | undefined, now: Date): ServerUpdates {
  const out: ServerUpdates = {
    server: pin.server,
    environments: pin.environments,
    targets: pin.targets,
    kind: pin.kind,
    identifier: pin.identifier,
    current: pin.current,
    ...(pin.location ? { location: pin.location } : {}),
    policy: pin.policy,
    allowed: [],
    held: [],
  };
  if (pin.skipped) return { ...out, skipped: pin.skipped };
  if (!answer) return { ...out, error: 'not checked' };
  if ('error' in answer)
    return { ...out, ...(answer.registry ? { registry: answer.registry } : {}), error: answer.error };
  const { listing } = answer;
  out.registry = originOf(listing.registry === 'registry' ? 'registry' : listing.registry);
  if (out.registry === 'registry') delete out.registry;
  try {
    const selection = selectUpdates(
      pin.current,
      listing.releases.map(safeRelease),
      pin.policy,
      now,
      pin.kind,
    );
    out.allowed = selection.allowed;
    out.held = selection.held;
  } catch (err) {
    return { ...out, error: errorText(err) };
  }
  const first = out.allowed[0];
  if (first) {
    out.proposed = { ...first, pin: proposedPin(pin, first) };
  }
  const warning = movedTagWarning(pin.current, listing.currentDigest);
  if (warning) out.warnings = [warning];
  return out;
}

/**
 * What the bumped pin says: the version, and its digest when digests are required or the current
 * pin already carries one (an OCI `tag@sha256:…` stays in that form).
 */
function proposedPin(pin: ServerPin, release: Release): string {
  const digestPinned = pin.kind === 'oci' && splitPin(pin.current).digest !== undefined;
  return (pin.policy.requireDigest || digestPinned) && release.digest
    ? `${release.version}@${release.digest}`
    : release.version;
}

/** OCI: the pinned tag now points at another digest than the pin records. */
function movedTagWarning(current: string, currentDigest: string | undefined): string | undefined {
  const { tag, digest } = splitPin(current);
  if (!tag || !digest || !isDigestText(currentDigest) || currentDigest === digest) return undefined;
  return `tag ${tag} now points at ${currentDigest.slice(0, 19)}…, not the pinned ${digest.slice(0, 19)}…`;
}

/** Source errors are written to be printed; anything else is cut down and redacted. */
function errorText(err: unknown): string {
  if (err instanceof UpdateSourceError) return safeMessage(err.message);
  if (err instanceof Error) return safeMessage(err.message || err.name);
  return 'unknown error';
}

async function eachLimited<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  });
  await Promise.all(workers);
}
