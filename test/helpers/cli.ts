/** Run the real `mcp-gitops` CLI in a child process, bounded, keeping every byte it printed. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's CLI entry (runs the sources through tsx). */
export const BIN = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'bin',
  'mcp-gitops.js',
);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunner {
  run(args: readonly string[], timeoutMs?: number): Promise<CliResult>;
  /** Everything every run printed (stdout and stderr), for leak scans. */
  readonly transcript: string[];
}

export function cliRunner(env: Record<string, string>): CliRunner {
  const transcript: string[] = [];
  return {
    transcript,
    async run(args, timeoutMs = 180_000) {
      const result = await runCli(BIN, args, env, timeoutMs);
      transcript.push(result.stdout, result.stderr);
      return result;
    },
  };
}

/**
 * Runs a CLI entry (`bin/mcp-gitops.js`, or a built `dist/cli/main.js`) in a child process with
 * `env` added and CI unset, killed after `timeoutMs`; `nodeArgs` go before the entry.
 */
export function runCli(
  entry: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs: number,
  nodeArgs: readonly string[] = [],
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, entry, ...args], {
      env: { ...process.env, CI: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcp-gitops ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
