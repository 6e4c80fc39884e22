/**
 * MCP-level verification (DESIGN.md §3 `verify`): handshake + `tools/list` against an endpoint,
 * retried with exponential backoff while the server is still starting, until `timeoutMs`.
 * `expectTools` must all be listed, and the negotiated protocol revision must not be older than
 * `minProtocolVersion`. The result is data; secrets in error text are redacted.
 */
import type { Health } from '../core/state.js';
import { redactor } from '../log/redact.js';
import type { Endpoint } from '../providers/types.js';
import { buildSurface } from '../surface/fingerprint.js';
import type { ServerIdentity, ToolSurface } from '../surface/types.js';
import { type AttemptHealth, classifyFailure } from './classify-failure.js';
import { listToolsOnce } from './list-tools-once.js';
import { toolsHash } from './tools-hash.js';

export const DEFAULT_VERIFY_TIMEOUT_MS = 10_000;
// A refused connection costs ~1 ms, so poll often while a server boots (~0.6 s for
// server-everything) and back off gently: 100, 150, 225, ... up to 1 s between attempts.
const FIRST_BACKOFF_MS = 100;
const BACKOFF_FACTOR = 1.5;
const MAX_BACKOFF_MS = 1_000;

export interface VerifyResult {
  ok: boolean;
  health: Health;
  toolCount?: number;
  toolsHash?: string;
  /** Tool names, sorted. */
  tools?: string[];
  /** Everything the server offers the model, fingerprinted (src/surface/). */
  surface?: ToolSurface;
  /** Who answered, on which protocol revision and handshake, declaring which capabilities. */
  identity?: ServerIdentity;
  error?: string;
  attempts: number;
  durationMs: number;
}

export interface VerifyHealth {
  expectTools?: string[];
  timeoutMs?: number;
  /** The oldest protocol revision (`YYYY-MM-DD`) accepted; an older negotiated one fails. */
  minProtocolVersion?: string;
}

export interface VerifyOptions {
  /** Stop after this many attempts even if time is left (result `starting` if it never answered). */
  attempts?: number;
  signal?: AbortSignal;
  /** Called after each failed attempt, e.g. for progress lines. Messages are already redacted. */
  onAttempt?: (attempt: number, health: AttemptHealth, message: string) => void;
}

export async function verifyServer(
  endpoint: Endpoint,
  health: VerifyHealth = {},
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const started = Date.now();
  const timeoutMs = health.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const deadline = started + timeoutMs;
  const maxAttempts = options.attempts ?? Number.POSITIVE_INFINITY;
  const done = (result: Omit<VerifyResult, 'durationMs'>): VerifyResult => ({
    ...result,
    ...(result.error === undefined ? {} : { error: redactor.redact(result.error) }),
    durationMs: Date.now() - started,
  });

  let attempts = 0;
  let backoff = FIRST_BACKOFF_MS;
  let lastMessage = 'no attempt made';
  while (attempts < maxAttempts) {
    if (options.signal?.aborted)
      return done({ ok: false, health: 'unknown', error: 'verification aborted', attempts });
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    attempts++;
    try {
      const { tools, instructions, prompts, resourceTemplates, identity } = await listToolsOnce(
        endpoint,
        remaining,
        options.signal,
      );
      const names = tools.map((t) => t.name).sort();
      const listed = new Set(names);
      const missing = (health.expectTools ?? []).filter((t) => !listed.has(t));
      const surface = buildSurface({
        tools,
        ...(instructions === undefined ? {} : { instructions }),
        prompts,
        resourceTemplates,
      });
      const facts = {
        toolCount: tools.length,
        toolsHash: toolsHash(tools),
        tools: names,
        surface,
        identity,
        attempts,
      };
      // Whoever answered must be the process the provider started, not another one on its port
      // (its tools are not this server's: none are reported).
      const foreign =
        endpoint.kind === 'http' ? await endpoint.notOurs?.().catch(() => undefined) : undefined;
      if (foreign) return done({ ok: false, health: 'unhealthy', error: foreign, attempts });
      const tooOld = olderThan(identity.protocolVersion, health.minProtocolVersion);
      if (tooOld) return done({ ok: false, health: 'unhealthy', ...facts, error: tooOld });
      if (missing.length > 0) {
        return done({
          ok: false,
          health: 'unhealthy',
          ...facts,
          error: `expected tools missing: ${missing.join(', ')}`,
        });
      }
      return done({ ok: true, health: 'healthy', ...facts });
    } catch (err) {
      if (options.signal?.aborted)
        return done({ ok: false, health: 'unknown', error: 'verification aborted', attempts });
      const failure = classifyFailure(err, endpoint.kind);
      if (failure.health === 'starting' && endpoint.kind === 'http' && endpoint.exited) {
        const gone = await endpoint.exited().catch(() => undefined);
        if (gone)
          return done({ ok: false, health: 'unhealthy', error: `${gone} (${failure.message})`, attempts });
      }
      lastMessage = failure.message;
      options.onAttempt?.(attempts, failure.health, redactor.redact(failure.message));
      if (failure.health === 'unhealthy')
        return done({ ok: false, health: 'unhealthy', error: failure.message, attempts });
    }
    const wait = Math.min(backoff, deadline - Date.now());
    if (wait <= 0 || attempts >= maxAttempts) break;
    await sleep(wait, options.signal);
    backoff = Math.min(backoff * BACKOFF_FACTOR, MAX_BACKOFF_MS);
  }
  if (Date.now() >= deadline) {
    return done({
      ok: false,
      health: 'unhealthy',
      error: `not answering MCP after ${timeoutMs} ms (${attempts} attempts): ${lastMessage}`,
      attempts,
    });
  }
  return done({
    ok: false,
    health: 'starting',
    error: `still starting after ${attempts} attempts: ${lastMessage}`,
    attempts,
  });
}

/** Why a negotiated revision is older than the minimum (revisions are dates: text order is time order). */
function olderThan(negotiated: string | undefined, minimum: string | undefined): string | undefined {
  if (minimum === undefined) return undefined;
  if (negotiated !== undefined && negotiated >= minimum) return undefined;
  return `negotiated MCP protocol revision ${negotiated ?? '(none)'} is older than health.minProtocolVersion ${minimum}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
