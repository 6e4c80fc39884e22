/**
 * One verification attempt: the MCP handshake on whichever protocol revision the server speaks
 * (`server/discover` for 2026-07-28, falling back to `initialize` for 2025-11-25 and older), then
 * `tools/list`, `prompts/list` and `resources/templates/list` page by page (the last two only when
 * the server declared them), then close. Bounded by `timeoutMs` as a whole (a server that accepts
 * a connection and never answers cannot hang it); the discover probe has a shorter sub-deadline,
 * since a 2025-era stdio server may ignore the unknown method. Throws on any failure;
 * `classifyFailure` decides whether it is worth another attempt.
 */
import {
  Client,
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
  type Tool,
} from '@modelcontextprotocol/client';
import type { Endpoint } from '../providers/types.js';
import type { ServerIdentity } from '../surface/types.js';
import { classifyFailure } from './classify-failure.js';
import { forgetEra, rememberEra, rememberedLegacy } from './era-memory.js';
import { openTransport } from './open-transport.js';
import { identityOf } from './server-identity.js';

const MAX_PAGES = 100;
/** The discover probe's own bound: long enough for a server to boot, short beside the deadline. */
const MAX_PROBE_MS = 5_000;
const MIN_PROBE_MS = 1_000;

export class ProcessExitedError extends Error {
  override readonly name = 'ProcessExitedError';
  /** It exited while the `server/discover` probe was its only request. */
  readonly duringProbe: boolean;
  constructor(message: string, options: ErrorOptions & { duringProbe?: boolean } = {}) {
    super(message, options);
    this.duringProbe = options.duringProbe ?? false;
  }
}

/** What one attempt learned: the whole surface as listed, and who answered on which revision. */
export interface Listed {
  tools: Tool[];
  instructions?: string;
  /** Prompt names, as listed (empty when the server declared no `prompts`). */
  prompts: string[];
  /** Resource template URIs, as listed (empty when the server declared no `resources`). */
  resourceTemplates: string[];
  identity: ServerIdentity;
}

export async function listToolsOnce(
  endpoint: Endpoint,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Listed> {
  const started = Date.now();
  const remaining = () => timeoutMs - (Date.now() - started);
  const legacy = rememberedLegacy(endpoint);
  try {
    return await attempt(endpoint, timeoutMs, signal, legacy);
  } catch (err) {
    if (signal?.aborted || remaining() <= 0) throw err;
    if (legacy) {
      // The remembered verdict may be stale: the same command line or URL now runs a server that
      // only speaks 2026-07-28 (upgraded in place). Forget it and probe, unless it is just not up.
      forgetEra(endpoint);
      if (classifyFailure(err, endpoint.kind).health === 'starting') throw err;
      return await attempt(endpoint, remaining(), signal, false);
    }
    // A stdio server built on an SDK that exits on any request before `initialize` dies on the
    // probe: it is a 2025-era server. Start it once more and greet it the old way.
    if (!(err instanceof ProcessExitedError) || !err.duringProbe) throw err;
    rememberEra(endpoint, 'legacy');
    return await attempt(endpoint, remaining(), signal, true);
  }
}

async function attempt(
  endpoint: Endpoint,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  legacy: boolean,
): Promise<Listed> {
  const opened = openTransport(endpoint);
  const probeMs = Math.max(MIN_PROBE_MS, Math.min(MAX_PROBE_MS, Math.floor(timeoutMs / 2)));
  const client = new Client(
    { name: 'mcp-gitops-verify', version: '1' },
    { capabilities: {}, versionNegotiation: { mode: 'auto', probe: { timeoutMs: probeMs } } },
  );
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new SdkError(SdkErrorCode.RequestTimeout, `no MCP answer within ${timeoutMs} ms`);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  const options = { signal: controller.signal, timeout: timeoutMs };
  let connected = false;
  try {
    const work = (async (): Promise<Listed> => {
      await client.connect(opened.transport, legacy ? { ...options, prior: { kind: 'legacy' } } : options);
      connected = true;
      const era = client.getProtocolEra();
      if (era) rememberEra(endpoint, era);
      const capabilities = client.getServerCapabilities() ?? {};
      const tools = await pages(async (cursor) => {
        const page = await client.request(
          { method: 'tools/list', params: cursor ? { cursor } : {} },
          options,
        );
        return { items: page.tools, nextCursor: page.nextCursor };
      });
      const prompts = capabilities.prompts
        ? await optional(() =>
            pages(async (cursor) => {
              const page = await client.request(
                { method: 'prompts/list', params: cursor ? { cursor } : {} },
                options,
              );
              return { items: page.prompts.map((p) => p.name), nextCursor: page.nextCursor };
            }),
          )
        : [];
      const resourceTemplates = capabilities.resources
        ? await optional(() =>
            pages(async (cursor) => {
              const page = await client.request(
                { method: 'resources/templates/list', params: cursor ? { cursor } : {} },
                options,
              );
              return { items: page.resourceTemplates.map((t) => t.uriTemplate), nextCursor: page.nextCursor };
            }),
          )
        : [];
      const instructions = client.getInstructions();
      const identity = identityOf({
        protocolVersion: client.getNegotiatedProtocolVersion(),
        era,
        serverInfo: client.getServerVersion(),
        capabilities,
      });
      return {
        tools,
        ...(instructions === undefined ? {} : { instructions }),
        prompts,
        resourceTemplates,
        identity,
      };
    })();
    work.catch(() => undefined);
    return await Promise.race([work, deadline, aborted]);
  } catch (err) {
    if (opened.exited()) {
      const tail = opened.stderrTail();
      const message = `server process exited before answering${tail ? `; stderr: ${tail}` : ''}`;
      throw new ProcessExitedError(message, { cause: err, duringProbe: !connected && !legacy });
    }
    throw err;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    await opened.close();
  }
}

/** Follow `nextCursor` up to MAX_PAGES pages; a cursor that repeats ends the walk. */
async function pages<T>(
  fetch: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetch(cursor);
    items.push(...result.items);
    if (!result.nextCursor || result.nextCursor === cursor) break;
    cursor = result.nextCursor;
  }
  return items;
}

/** A declared capability whose list method is missing lists nothing; other failures fail the attempt. */
async function optional<T>(list: () => Promise<T[]>): Promise<T[]> {
  try {
    return await list();
  } catch (err) {
    if (err instanceof ProtocolError && err.code === ProtocolErrorCode.MethodNotFound) return [];
    throw err;
  }
}
