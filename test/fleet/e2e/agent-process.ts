/**
 * One laptop of the fleet e2e test: a sandboxed HOME and agent state dir, and the real
 * `mcp-gitops agent` CLI run as its own process (inside a network namespace when `wrap` is given).
 * Every byte an agent prints is kept, for the canary leak scan and for failure messages.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN } from '../../helpers/cli.js';

export interface Laptop {
  index: number;
  home: string;
  stateDir: string;
  /** Network namespace it runs in, if any. */
  netns?: string;
  /** Everything every run of the agent printed, in order. */
  transcript: string[];
  /** `agent enroll URL TOKEN`; resolves with its exit code and output. */
  enroll(hubUrl: string, token: string): Promise<{ code: number; output: string }>;
  /** Start `agent run --interval` in the background (no-op when it already runs). */
  start(): void;
  /** SIGTERM, SIGKILL after 10 s; resolves once it exited. */
  stop(): Promise<void>;
  running(): boolean;
  /** The machine id from identity.json (after enrolment). */
  machineId(): string;
  /** Parsed ~/.claude.json, or undefined when it does not exist. */
  claudeJson():
    | { mcpServers?: Record<string, { args?: string[]; env?: Record<string, string> }> }
    | undefined;
}

export interface LaptopOptions {
  index: number;
  base: string;
  /** Extra environment for the agent (the canary secret). */
  env: Record<string, string>;
  /** `agent run --interval`. */
  interval: string;
  /** Prefix argv (e.g. `ip netns exec NS`) to run the agent elsewhere. */
  wrap?: (argv: string[]) => string[];
  netns?: string;
  /** Enrol with --insecure-http (a hub on a non-loopback http:// address; `agent run` keeps the choice). */
  insecureHttp: boolean;
}

export function createLaptop(options: LaptopOptions): Laptop {
  const dir = path.join(options.base, `laptop-${String(options.index).padStart(2, '0')}`);
  const home = path.join(dir, 'home');
  const stateDir = path.join(dir, 'agent-state');
  fs.mkdirSync(home, { recursive: true });
  const transcript: string[] = [];
  const insecure = options.insecureHttp ? ['--insecure-http'] : [];
  const env = {
    ...process.env,
    CI: '',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    MCP_GITOPS_LOG_LEVEL: 'info',
    ...options.env,
  };
  const argvFor = (args: string[]) => {
    const argv = [process.execPath, BIN, ...args];
    return options.wrap ? options.wrap(argv) : argv;
  };
  const launch = (args: string[]): ChildProcess => {
    const [cmd, ...rest] = argvFor(args);
    const child = spawn(cmd!, rest, { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: home });
    child.stdout?.on('data', (d: Buffer) => transcript.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => transcript.push(d.toString()));
    return child;
  };
  let runner: { child: ChildProcess; exited: Promise<void> } | undefined;

  return {
    index: options.index,
    home,
    stateDir,
    netns: options.netns,
    transcript,
    enroll(hubUrl, token) {
      const start = transcript.length;
      const child = launch(['agent', 'enroll', hubUrl, token, '--state-dir', stateDir, ...insecure]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`agent ${options.index} enroll did not finish in 60 s`));
        }, 60_000);
        child.once('error', reject);
        child.once('close', (code) => {
          clearTimeout(timer);
          resolve({ code: code ?? 1, output: transcript.slice(start).join('') });
        });
      });
    },
    start() {
      if (runner) return;
      const child = launch(['agent', 'run', '--interval', options.interval, '--state-dir', stateDir]);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      runner = { child, exited };
      void exited.then(() => {
        if (runner?.child === child) runner = undefined;
      });
    },
    async stop() {
      const current = runner;
      if (!current) return;
      const { child, exited } = current;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      runner = undefined;
    },
    running: () => runner !== undefined,
    machineId() {
      const identity = JSON.parse(fs.readFileSync(path.join(stateDir, 'identity.json'), 'utf8')) as {
        machineId: string;
      };
      return identity.machineId;
    },
    claudeJson() {
      try {
        return JSON.parse(fs.readFileSync(path.join(home, '.claude.json'), 'utf8'));
      } catch {
        return undefined;
      }
    },
  };
}
