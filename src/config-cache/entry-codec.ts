/**
 * The bytes of a cache entry: a first line naming the format, a JSON header line (format version,
 * the full key, the payload's length and sha256), then the payload (a v8-serialized snapshot).
 * Pure. `decodeEntry` returns the payload only when every part checks out, so a truncated,
 * corrupted or foreign file, or one of another key or format, is a miss, and nothing of it
 * reaches `v8.deserialize`.
 */
import { createHash } from 'node:crypto';

const MAGIC = 'mcp-gitops config-cache\n';
/** Bump when the header or the snapshot's shape changes. */
export const FORMAT_VERSION = 1;
/** A header is one key and a few numbers: far below this. */
const MAX_HEADER_BYTES = 64 * 1024;

interface Header {
  format: number;
  key: string;
  bytes: number;
  sha256: string;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function encodeEntry(key: string, payload: Buffer): Buffer {
  const header: Header = { format: FORMAT_VERSION, key, bytes: payload.length, sha256: sha256(payload) };
  return Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`, 'utf8'), payload]);
}

/** The payload of `data` if it is a whole, intact entry for `key`; else undefined. */
export function decodeEntry(data: Buffer, key: string): Buffer | undefined {
  const magic = Buffer.from(MAGIC, 'utf8');
  if (data.length < magic.length || !data.subarray(0, magic.length).equals(magic)) return undefined;
  const end = data.indexOf(0x0a, magic.length);
  if (end < 0 || end - magic.length > MAX_HEADER_BYTES) return undefined;
  let header: Partial<Header>;
  try {
    header = JSON.parse(data.toString('utf8', magic.length, end)) as Partial<Header>;
  } catch {
    return undefined;
  }
  if (header === null || typeof header !== 'object') return undefined;
  if (header.format !== FORMAT_VERSION || header.key !== key) return undefined;
  const payload = data.subarray(end + 1);
  if (header.bytes !== payload.length || header.sha256 !== sha256(payload)) return undefined;
  return payload;
}
