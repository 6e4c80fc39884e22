/**
 * `producer | consumer` for tests (e.g. `tar -cf - . | podman import -`), where neither side can
 * keep the other waiting: when one fails to start (ENOENT), exits non-zero (before reading, or
 * while writing) or the time runs out, the other is killed and the pipe rejects with the first
 * failure at once. Without this a `tar` blocked on a pipe to a `podman` that never started kept
 * its test file alive until the runner's 300 s timeout.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface PipeCommand {
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** Bytes of each side's stderr kept for the error message. */
const STDERR_KEPT = 4000;

/** Run `from | into`; resolves when both exit 0, rejects with the first failure otherwise. */
export async function pipeProcesses(from: PipeCommand, into: PipeCommand, timeoutMs: number): Promise<void> {
  const producer = spawn(from.command, [...from.args], { env: from.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const consumer = spawn(into.command, [...into.args], { env: into.env, stdio: ['pipe', 'ignore', 'pipe'] });
  // A consumer that is gone makes writes fail with EPIPE: its exit (or spawn error) says why.
  consumer.stdin?.on('error', () => undefined);
  producer.stdout?.on('error', () => undefined);
  producer.stdout?.pipe(consumer.stdin!);

  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const child of [producer, consumer]) stop(child);
  };
  const timer = setTimeout(
    () => fail(new Error(`${from.command} | ${into.command} did not finish within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    await Promise.all([ended(producer, from.command, fail), ended(consumer, into.command, fail)]);
  } finally {
    clearTimeout(timer);
  }
  if (failure) throw failure;
}

/** Settles when the child is gone (closed, or never started); reports a failure to `fail`. */
function ended(child: ChildProcess, name: string, fail: (error: Error) => void): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT);
  });
  return new Promise((done) => {
    child.once('error', (error) => {
      fail(new Error(`${name} could not run: ${error.message}`));
      done();
    });
    child.once('close', (code, signal) => {
      if (code !== 0) {
        const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
        fail(new Error(`${name} ${how}${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
      }
      done();
    });
  });
}

function stop(child: ChildProcess): void {
  child.stdin?.destroy();
  child.stdout?.destroy();
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
