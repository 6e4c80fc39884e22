/**
 * One ssh invocation: run a script on the host and say whether it started and finished there.
 * The script runs in a subshell between two markers on stderr. No start marker: ssh failed
 * before running anything (its own error is in stderr). No end marker: the connection broke
 * while it ran, and the exit code is ssh's, not the command's. Whatever comes before the start
 * marker is noise from the login shell's startup files and is dropped (so `readFile` returns the
 * file, not a greeting).
 */
import * as fs from 'node:fs/promises';
import { loadExeca } from '../load-execa.js';
import { type SshConnectionSettings, sshCommandArgs, sshControlArgs } from './ssh-args.js';

const STARTED = '\x1emcp-gitops:started\x1e\n';
const ENDED = '\x1emcp-gitops:ended\x1e\n';
const MARK_START = "printf '\\036mcp-gitops:started\\036\\n'; printf '\\036mcp-gitops:started\\036\\n' >&2";
const MARK_END = "rc=$?; printf '\\036mcp-gitops:ended\\036\\n' >&2; exit $rc";

export interface SshRun {
  /** 255 when ssh itself failed or was killed. */
  exitCode: number;
  stdout: string;
  /** The command's stderr (marker removed); ssh's own errors when it never started. */
  stderr: string;
  /** The script began on the host. */
  started: boolean;
  /** The script finished on the host and `exitCode` is its own. */
  ended: boolean;
  /** Killed locally after `timeoutMs`. */
  timedOut: boolean;
}

export async function runSsh(
  settings: SshConnectionSettings,
  script: string,
  options: { input?: string; timeoutMs: number },
): Promise<SshRun> {
  const wrapped = `${MARK_START}\n(\n${script}\n)\n${MARK_END}`;
  const r = await (await loadExeca())('ssh', sshCommandArgs(settings, wrapped), {
    reject: false,
    timeout: options.timeoutMs,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    stripFinalNewline: false,
  });
  const rawStdout = typeof r.stdout === 'string' ? r.stdout : '';
  const out = rawStdout.indexOf(STARTED);
  const rawStderr = typeof r.stderr === 'string' ? r.stderr : '';
  const at = rawStderr.indexOf(STARTED);
  const started = at >= 0;
  const end = started ? rawStderr.lastIndexOf(ENDED) : -1;
  const ended = end > at;
  let stderr = rawStderr || notRun(r);
  if (ended) stderr = rawStderr.slice(0, end) + rawStderr.slice(end + ENDED.length);
  if (started) stderr = stderr.slice(at + STARTED.length);
  return {
    exitCode: r.exitCode ?? 255,
    stdout: out >= 0 ? rawStdout.slice(out + STARTED.length) : rawStdout,
    stderr,
    started,
    ended,
    timedOut: r.timedOut,
  };
}

/** Why ssh said nothing (execa's own message would repeat the whole command line). */
function notRun(r: { code?: string; signal?: string; exitCode?: number }): string {
  if (r.code === 'ENOENT') return 'the OpenSSH client is not installed (ssh not found on PATH)';
  if (r.signal) return `ssh was stopped by ${r.signal}`;
  return `ssh exited with code ${r.exitCode ?? 'unknown'} and no message`;
}

/** Resolves once the control master listens (its socket exists), or when `until` settles. */
export async function socketAppears(socket: string, until: Promise<unknown>): Promise<void> {
  let settled = false;
  const done = () => {
    settled = true;
  };
  until.then(done, done);
  while (!settled) {
    if (
      await fs.stat(socket).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `ssh -O check|exit` against the control master: never throws, bounded to 10 s. */
export async function sshControl(
  settings: SshConnectionSettings,
  operation: 'check' | 'exit',
): Promise<{ exitCode?: number; stdout: string; stderr: string }> {
  const r = await (await loadExeca())('ssh', sshControlArgs(settings, operation), {
    reject: false,
    timeout: 10_000,
    stdin: 'ignore',
  });
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}
