/**
 * Stops every process of this user that carries a scratch marker in its environment. A package
 * runner forks (npx → sh → node), and a server may start helpers of its own; signalling the one
 * child the MCP client knows leaves the rest running. The marker is inherited by all of them, so
 * /proc tells which are ours: TERM first, KILL after a short grace, and wait until they are gone
 * (bounded). Linux only; elsewhere /proc is absent and only the direct child is stopped.
 */
import * as fs from 'node:fs/promises';

/** The variable every scratch process carries; its value is the scratch place's own id. */
export const SCRATCH_MARKER = 'MCP_GITOPS_VERIFY_NEW';

const GRACE_MS = 1_000;
const GONE_MS = 3_000;

/** Pids (alive, not zombies) whose environment has `SCRATCH_MARKER=marker`. */
export async function markedPids(marker: string): Promise<number[]> {
  const needle = Buffer.from(`\0${SCRATCH_MARKER}=${marker}\0`);
  const first = Buffer.from(`${SCRATCH_MARKER}=${marker}\0`);
  let entries: string[];
  try {
    entries = await fs.readdir('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const environ = await fs.readFile(`/proc/${pid}/environ`);
      if (!(environ.includes(needle) || environ.subarray(0, first.length).equals(first))) continue;
      if (await isZombie(pid)) continue;
      pids.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

export async function stopMarked(marker: string): Promise<void> {
  let pids = await markedPids(marker);
  if (pids.length === 0) return;
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + GRACE_MS;
  while (pids.length > 0 && Date.now() < deadline) {
    await sleep(50);
    pids = await markedPids(marker);
  }
  for (const pid of pids) signal(pid, 'SIGKILL');
  const gone = Date.now() + GONE_MS;
  while (pids.length > 0 && Date.now() < gone) {
    await sleep(50);
    pids = await markedPids(marker);
  }
}

async function isZombie(pid: number): Promise<boolean> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return true;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
