/**
 * SSH host benchmark against a real sshd (127.0.0.1): 100 small commands and 20 atomic file
 * writes, multiplexed over one control master versus one ssh connection per operation. Prints
 * round trips, sshd logins and wall time for each. Run alone: `node --import tsx bench/ssh.ts`.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SshHost } from '../src/hosts/ssh/ssh-host.js';
import { startSshd } from '../test/helpers/sshd.js';

const COMMANDS = 100;
const WRITES = 20;

export interface SshBenchRow {
  mode: 'multiplexed' | 'one connection per operation';
  operations: number;
  roundTrips: number;
  logins: number;
  wallMs: number;
}

export async function benchSsh(): Promise<SshBenchRow[]> {
  const sshd = await startSshd();
  try {
    const logins = () =>
      readFileSync(path.join(sshd.dir, 'sshd.log'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('Accepted publickey')).length;
    const rows: SshBenchRow[] = [];
    for (const multiplex of [true, false]) {
      const host = new SshHost({
        url: sshd.url,
        identityRef: `file:${sshd.identityFile}`,
        knownHosts: sshd.knownHosts,
        multiplex,
      });
      const loginsBefore = logins();
      const start = performance.now();
      for (let i = 0; i < COMMANDS; i++) await host.exec('echo', [String(i)], { reject: true });
      for (let i = 0; i < WRITES; i++) {
        await host.writeFile(path.join(sshd.dir, 'bench', `file-${i}.json`), `{"i":${i}}\n`, { mode: 0o600 });
      }
      const wallMs = performance.now() - start;
      rows.push({
        mode: multiplex ? 'multiplexed' : 'one connection per operation',
        operations: COMMANDS + WRITES,
        roundTrips: host.roundTrips,
        logins: logins() - loginsBefore,
        wallMs,
      });
      await host.close();
    }
    return rows;
  } finally {
    await sshd.stop();
  }
}

export function formatSshBench(rows: readonly SshBenchRow[]): string {
  const lines = [`ssh host: ${COMMANDS} commands + ${WRITES} file writes, sequential`];
  for (const r of rows) {
    lines.push(
      `  ${r.mode.padEnd(30)} ${String(r.roundTrips).padStart(4)} round trips  ${String(r.logins).padStart(4)} logins  ${(r.wallMs / 1000).toFixed(2).padStart(7)} s  (${(r.wallMs / r.operations).toFixed(1)} ms/op)`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatSshBench(await benchSsh()));
}
