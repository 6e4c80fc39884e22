/**
 * `ssh://user@host[:port]` → its parts. The user and host become ssh arguments, so both are
 * checked to be plain names (no leading `-` that ssh could read as an option, no spaces or shell
 * characters); IPv6 addresses are written in brackets.
 */
import { McpGitopsError } from '../../core/errors.js';

export interface SshAddress {
  user: string;
  /** Host name or address, without brackets. */
  host: string;
  port: number;
  /** Canonical `ssh://user@host:port`. */
  url: string;
}

const URL_SHAPE = /^ssh:\/\/([^@/]+)@(\[[^\]/]+\]|[^:/@[\]]+)(?::([0-9]{1,5}))?\/?$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

export function parseSshUrl(raw: string): SshAddress {
  const m = URL_SHAPE.exec(raw);
  const bad = (what: string) =>
    new McpGitopsError('ERR_HOST', `host "${raw}": ${what}`, {
      hint: 'write ssh://user@host or ssh://user@host:port (IPv6 as ssh://user@[::1]:22)',
    });
  if (!m) throw bad('not an ssh://user@host[:port] address');
  const [, user = '', hostPart = '', portText] = m;
  if (!USER.test(user)) throw bad(`"${user}" is not a valid user name`);
  const bracketed = hostPart.startsWith('[');
  const host = bracketed ? hostPart.slice(1, -1) : hostPart;
  if (bracketed ? !IPV6.test(host) || !host.includes(':') : !HOST_NAME.test(host)) {
    throw bad(`"${hostPart}" is not a valid host name or address`);
  }
  const port = portText === undefined ? 22 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(`port ${portText} is out of range`);
  return { user, host, port, url: `ssh://${user}@${bracketed ? `[${host}]` : host}:${port}` };
}
