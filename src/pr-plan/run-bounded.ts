/**
 * Runs a child process on a leash: its own process group (so helpers it starts die with it), a
 * wall-clock limit, a resident-memory cap enforced by sampling /proc/<pid>/status (Linux; Node has
 * no setrlimit, and V8's heap flag does not cover buffers), and capped stdout/stderr. Whatever
 * happens, the caller gets data — how it ended and why — never a hang.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

export interface BoundedLimits {
  timeoutMs: number;
  /** Resident set cap for the whole process group leader, in bytes (Linux only). */
  maxRssBytes?: number;
  maxStdoutBytes: number;
  maxStderrBytes?: number;
}

export type BoundedEnd =
  | { kind: 'exited'; code: number }
  | { kind: 'signal'; signal: string }
  | { kind: 'timeout' }
  | { kind: 'memory'; rssBytes: number }
  | { kind: 'output' }
  | { kind: 'spawn-failed'; message: string };

export interface BoundedResult {
  end: BoundedEnd;
  stdout: Buffer;
  stderr: string;
  /** Highest resident set sampled, in bytes (0 where it cannot be read). */
  peakRssBytes: number;
  ms: number;
}

const SAMPLE_MS = 50;

export function runBounded(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; input?: string | Buffer; limits: BoundedLimits },
): Promise<BoundedResult> {
  const { limits } = options;
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let peak = 0;
    let end: BoundedEnd | undefined;
    const kill = (why: BoundedEnd) => {
      end ??= why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill({ kind: 'timeout' }), limits.timeoutMs);
    const sampler =
      limits.maxRssBytes && child.pid
        ? setInterval(() => {
            const rss = residentBytes(child.pid!);
            peak = Math.max(peak, rss);
            if (rss > limits.maxRssBytes!) kill({ kind: 'memory', rssBytes: rss });
          }, SAMPLE_MS)
        : undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > limits.maxStdoutBytes) kill({ kind: 'output' });
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < (limits.maxStderrBytes ?? 16_384)) err += chunk.toString('utf8');
    });
    child.stdin.on('error', () => {});
    child.on('error', (e) => {
      end ??= { kind: 'spawn-failed', message: e.message };
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (sampler) clearInterval(sampler);
      // Helpers the child left behind in its group go too.
      kill(signal ? { kind: 'signal', signal } : { kind: 'exited', code: code ?? 1 });
      resolve({
        end: end!,
        stdout: Buffer.concat(out),
        stderr: err.slice(0, limits.maxStderrBytes ?? 16_384),
        peakRssBytes: peak,
        ms: Date.now() - started,
      });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** VmRSS of a process in bytes, 0 when it cannot be read (gone, or not Linux). */
export function residentBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
