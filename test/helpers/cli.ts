/** Run the real `mcp-gitops` CLI in a child process, bounded, keeping every byte it printed. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'mcp-gitops.js');

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
    run(args, timeoutMs = 180_000) {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], {
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
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          transcript.push(stdout, stderr);
          resolve({ code: code ?? 1, stdout, stderr });
        });
      });
    },
  };
}
