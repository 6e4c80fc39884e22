/**
 * The raw request body (the signature is over these exact bytes), given up on as soon as it passes
 * a size cap, falls silent for `idleMs`, or is not complete after `deadlineMs`. On every outcome but
 * a body, the request is left paused: nothing more is read into memory, and the caller answers
 * with the connection closed.
 */
import type { IncomingMessage } from 'node:http';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface ReadBodyOptions {
  /** Longest silence between two chunks. */
  idleMs: number;
  /** Longest time for the whole body. */
  deadlineMs: number;
}

export type BodyFailure = 'too-large' | 'idle' | 'deadline' | 'aborted';

export function readBody(
  req: IncomingMessage,
  limit: number,
  options: ReadBodyOptions,
): Promise<Buffer | BodyFailure> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: Buffer | BodyFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      clearTimeout(deadline);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      if (!Buffer.isBuffer(result)) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return settle('too-large');
      chunks.push(chunk);
      idle.refresh();
    };
    const onEnd = () => settle(Buffer.concat(chunks, size));
    const onClose = () => settle('aborted');
    const idle = setTimeout(() => settle('idle'), options.idleMs);
    const deadline = setTimeout(() => settle('deadline'), options.deadlineMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
  });
}
