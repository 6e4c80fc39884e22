/**
 * What a registry or an error says is checked before it reaches a report: a release keeps its
 * version (already parsed against a strict shape by the policy), an ISO publish time, a
 * `sha256:` digest and an https link of printable characters, and nothing else; an error message
 * is cut to printable text with every registered secret value redacted. Reports, the CLI's output
 * and PR bodies are built from what this returns.
 */
import { redactor } from '../log/redact.js';
import type { Release } from './types.js';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const PRINTABLE_URL = /^https:\/\/[\x21-\x7e]{1,2000}$/;
const MAX_MESSAGE = 300;

export function safeRelease(release: Release): Release {
  const out: Release = { version: release.version };
  if (typeof release.publishedAt === 'string' && ISO_TIME.test(release.publishedAt)) {
    if (!Number.isNaN(Date.parse(release.publishedAt))) out.publishedAt = release.publishedAt;
  }
  if (typeof release.digest === 'string' && DIGEST.test(release.digest)) out.digest = release.digest;
  if (release.withdrawn === true) out.withdrawn = true;
  if (typeof release.url === 'string' && PRINTABLE_URL.test(release.url) && !/[<>"'`\\]/.test(release.url)) {
    try {
      const url = new URL(release.url);
      if (url.protocol === 'https:' && url.username === '' && url.password === '') out.url = url.href;
    } catch {
      // not a URL: left out
    }
  }
  return out;
}

export function isDigestText(text: unknown): text is string {
  return typeof text === 'string' && DIGEST.test(text);
}

/** A message safe to print: secrets redacted, control characters replaced, length capped. */
export function safeMessage(text: string): string {
  const printable = redactor.redact(String(text)).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return printable.length > MAX_MESSAGE ? `${printable.slice(0, MAX_MESSAGE - 1)}…` : printable;
}
