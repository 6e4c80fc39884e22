/**
 * Who sent a request: the socket's peer, or — only when that peer is a proxy the operator named
 * with `--trust-proxy` — the address that proxy put in `X-Forwarded-For`. The header is never
 * believed otherwise: anyone can send it.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP, isIPv4 } from 'node:net';
import { McpGitopsError } from '../core/errors.js';

export interface TrustedProxies {
  /** Whether `address` (IPv4, IPv6 or IPv4-mapped IPv6) is one of the trusted proxies. */
  has(address: string): boolean;
}

/** `10.0.0.0/8`, `192.168.1.10`, `fd00::/8`, `::1` → a matcher; anything else is a usage error. */
export function parseTrustedProxies(cidrs: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const raw of cidrs.flatMap((c) => c.split(',')).map((c) => c.trim())) {
    if (raw === '') continue;
    const [addr = '', prefixText, extra] = raw.split('/');
    const family = isIP(addr);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (family === 0 || extra !== undefined || !/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max) {
      throw new McpGitopsError('ERR_USAGE', `--trust-proxy ${raw} is not an address or CIDR`, {
        hint: 'e.g. --trust-proxy 10.0.0.0/8 192.168.1.10 fd00::/8 (the proxies in front of serve)',
      });
    }
    list.addSubnet(addr, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return {
    has(address) {
      const a = plainAddress(address);
      const family = isIP(a);
      return family !== 0 && list.check(a, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client's address. With trusted proxies and a trusted peer, `X-Forwarded-For` is read from
 * the right (each proxy appends the address it received from): the first address that is not a
 * trusted proxy is the client; entries further left were written by that client and are ignored.
 */
export function clientAddress(req: IncomingMessage, trusted: TrustedProxies | undefined): string {
  let client = plainAddress(req.socket.remoteAddress ?? '');
  if (!trusted?.has(client)) return client;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i] as string);
    // A malformed entry: the proxy that handed it to us is as far as we can tell.
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!trusted.has(hop)) return client;
  }
  return client;
}

/**
 * What a rate limit counts: the IPv4 address, or the /64 of an IPv6 address (one host usually
 * holds a whole /64, so counting single IPv6 addresses would let it rotate past the limit).
 */
export function sourceKey(address: string): string {
  const a = plainAddress(address);
  if (isIP(a) !== 6) return a;
  return `${expandIPv6(a).slice(0, 4).join(':')}::/64`;
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; `fe80::1%eth0` → `fe80::1`; `[::1]` → `::1`. */
function plainAddress(address: string): string {
  let a = address.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped && isIPv4(mapped[1] as string)) return mapped[1] as string;
  return a.toLowerCase();
}

/** The eight 16-bit groups of a valid IPv6 address, as lowercase hex without leading zeros. */
function expandIPv6(address: string): string[] {
  let text = address;
  // A trailing dotted quad (e.g. `64:ff9b::192.0.2.1`) is two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [b0, b1, b2, b3] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => Number.parseInt(g, 16).toString(16));
}
