/**
 * Run one of the provider's read/clean-up scripts (inventory-script.ts, housekeeping-script.ts)
 * on a host. Over ssh it is `node -e SCRIPT ARGS…` on the host, one round trip. On the local host
 * the same script text runs inside this process: a fresh `node` child costs ~160–250 ms, paid up
 * to three times for every server a run applies (issue 16: ~0.6 s per server on a local process
 * target). The script sees what `node -e` gives it — `require`, `process.argv` as
 * `[node, ...args]`, `process.stdout.write`, `process.kill` — and nothing of this process's state
 * leaks in or out. A throw is what the child's uncaught error was: exit code 1 with its message
 * on stderr.
 *
 * Only scripts that read files and /proc and remove files synchronously may run this way: they
 * block the event loop while they run, as briefly as the child would have taken to start.
 */
import { createRequire } from 'node:module';
import type { ExecResult, Host } from '../../hosts/types.js';

const scriptRequire = createRequire(import.meta.url);
const compiled = new Map<string, (require: NodeJS.Require, process: unknown) => void>();

export async function runHostScript(
  host: Host,
  node: string,
  script: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<ExecResult> {
  if (host.kind !== 'local') return host.exec(node, ['-e', script, ...args], { timeoutMs });
  return runInProcess(node, script, args);
}

/** The script in this process, with `node -e`'s view of argv and stdout. */
export function runInProcess(node: string, script: string, args: readonly string[]): ExecResult {
  let run = compiled.get(script);
  if (!run) {
    run = new Function('require', 'process', script) as (require: NodeJS.Require, process: unknown) => void;
    compiled.set(script, run);
  }
  const stdout: string[] = [];
  const scriptProcess = {
    argv: [node, ...args],
    stdout: {
      write(chunk: string) {
        stdout.push(chunk);
        return true;
      },
    },
    kill: (pid: number, signal?: string | number) => process.kill(pid, signal),
  };
  try {
    run(scriptRequire, scriptProcess);
    return { exitCode: 0, stdout: stdout.join(''), stderr: '' };
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { exitCode: 1, stdout: stdout.join(''), stderr: `${message}\n` };
  }
}
