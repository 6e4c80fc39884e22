/**
 * Several network namespaces on one bridge, for tests where processes must reach a server on the
 * host over a real address rather than loopback (TEST-INFRA: `ip netns add`, veth pairs,
 * 10.200.X.0/24). The host side of the bridge holds 10.200.X.1, which a server on the host can
 * listen on: processes inside the namespaces and on the host both reach it. `run(i, argv)` prefixes
 * a command with `ip netns exec`. `remove()` deletes the namespaces (their veth ends go with them)
 * and the bridge; it never throws.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';

export interface NamespaceBridge {
  /** The host's address on the bridge (10.200.X.1). */
  hostAddress: string;
  namespaces: { name: string; address: string }[];
  /** argv that runs `argv` inside namespace `index`. */
  wrap(index: number, argv: readonly string[]): string[];
  remove(): void;
}

/**
 * Why namespaces cannot be made here, or undefined when they can (root, `ip`, and the kernel lets
 * this process add one: a container without CAP_SYS_ADMIN refuses).
 */
export function netnsUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  if (!existsSync('/usr/sbin/ip') && !existsSync('/sbin/ip')) return 'no `ip` (Debian iproute2)';
  const probe = `mcpgt-probe-${randomBytes(3).toString('hex')}`;
  try {
    ip(['netns', 'add', probe]);
  } catch (err) {
    return `\`ip netns add\` refused: ${(err as Error).message.split('\n')[0]}`;
  }
  ip(['netns', 'del', probe], true);
  return undefined;
}

export function createNamespaceBridge(count: number): NamespaceBridge {
  const id = randomBytes(3).toString('hex');
  const bridge = `mgb${id}`;
  const used = ip(['-o', '-4', 'addr', 'show']);
  const free = [...Array(100).keys()].map((i) => 150 + i).filter((x) => !used.includes(`10.200.${x}.`));
  const subnet = free[Math.floor(Math.random() * free.length)];
  if (subnet === undefined) throw new Error('no free 10.200.X.0/24 subnet');
  const namespaces: NamespaceBridge['namespaces'] = [];
  const remove = () => {
    for (const ns of namespaces) ip(['netns', 'del', ns.name], true);
    ip(['link', 'del', bridge], true);
  };
  try {
    ip(['link', 'add', bridge, 'type', 'bridge']);
    ip(['addr', 'add', `10.200.${subnet}.1/24`, 'dev', bridge]);
    ip(['link', 'set', bridge, 'up']);
    for (let i = 0; i < count; i++) {
      const name = `mgn${id}${i}`;
      const address = `10.200.${subnet}.${i + 2}`;
      ip(['netns', 'add', name]);
      namespaces.push({ name, address });
      const hostIf = `mg${id}${i}h`;
      const nsIf = `mg${id}${i}n`;
      ip(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
      ip(['link', 'set', nsIf, 'netns', name]);
      ip(['link', 'set', hostIf, 'master', bridge]);
      ip(['link', 'set', hostIf, 'up']);
      ip(['-n', name, 'addr', 'add', `${address}/24`, 'dev', nsIf]);
      ip(['-n', name, 'link', 'set', nsIf, 'up']);
      ip(['-n', name, 'link', 'set', 'lo', 'up']);
    }
  } catch (err) {
    remove();
    throw err;
  }
  return {
    hostAddress: `10.200.${subnet}.1`,
    namespaces,
    wrap: (index, argv) => {
      const ns = namespaces[index];
      if (!ns) throw new Error(`no namespace ${index}`);
      return ['ip', 'netns', 'exec', ns.name, ...argv];
    },
    remove,
  };
}

function ip(args: string[], ignoreErrors = false): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if (ignoreErrors) return '';
    throw err;
  }
}
