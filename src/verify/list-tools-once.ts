/**
 * One verification attempt: MCP handshake, then `tools/list` page by page, then close. Bounded by
 * `timeoutMs` as a whole (a server that accepts a connection and never answers cannot hang it).
 * Throws on any failure; `classifyFailure` decides whether it is worth another attempt.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Endpoint } from '../providers/types.js';
import { openTransport } from './open-transport.js';

const MAX_PAGES = 100;

export class ProcessExitedError extends Error {
  override readonly name = 'ProcessExitedError';
}

/** What one attempt learned: the tools, and the instructions the server gave in its handshake. */
export interface Listed {
  tools: Tool[];
  instructions?: string;
}

export async function listToolsOnce(
  endpoint: Endpoint,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Listed> {
  const opened = openTransport(endpoint);
  const client = new Client({ name: 'mcp-gitops-verify', version: '1' }, { capabilities: {} });
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new McpError(ErrorCode.RequestTimeout, `no MCP answer within ${timeoutMs} ms`);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  const options = { signal: controller.signal, timeout: timeoutMs };
  try {
    const work = (async () => {
      await client.connect(opened.transport, options);
      const tools: Tool[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await client.listTools(cursor === undefined ? {} : { cursor }, options);
        tools.push(...result.tools);
        if (!result.nextCursor || result.nextCursor === cursor) break;
        cursor = result.nextCursor;
      }
      const instructions = client.getInstructions();
      return { tools, ...(instructions === undefined ? {} : { instructions }) };
    })();
    work.catch(() => undefined);
    return await Promise.race([work, deadline, aborted]);
  } catch (err) {
    if (opened.exited()) {
      const tail = opened.stderrTail();
      throw new ProcessExitedError(
        `server process exited before answering${tail ? `; stderr: ${tail}` : ''}`,
        {
          cause: err,
        },
      );
    }
    throw err;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    await opened.close();
  }
}
