/**
 * Real MCP client CLIs (Claude Code, Gemini CLI, Codex, ...) for the real-client test tier
 * (test/real-clients/). Each is installed from npm once, at a pinned version, into a cache keyed by
 * package@version, and reused; `.ci/run` fills the cache before `npm test` (prefetch.ts), and a
 * test fills it on first use otherwise. Client runs are bounded in time, and everything a run
 * started (its whole process group: daemons, the stdio servers it launched) is killed after it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where installed clients are kept: `$MCP_GITOPS_TEST_CLIENTS`, else `~/.cache/mcp-gitops-test-clients`. */
export function clientCacheRoot(): string {
  if (process.env.MCP_GITOPS_TEST_CLIENTS) return process.env.MCP_GITOPS_TEST_CLIENTS;
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'mcp-gitops-test-clients');
}

export interface ClientPackage {
  /** The npm package, e.g. `@anthropic-ai/claude-code`. */
  pkg: string;
  /** Pinned exact version (CLIENT-CLIS.md says which ones have their platform binary here). */
  version: string;
  /** The command in `node_modules/.bin`. */
  bin: string;
  /**
   * Packages (in node_modules) whose `postinstall` script only does local work (copying the
   * platform binary into place) and is run after the `--ignore-scripts` install.
   */
  localPostinstall?: readonly string[];
}

/** The folder of one package@version in the cache (`/` in a scope becomes `+`). */
export function clientDir(client: ClientPackage): string {
  return join(clientCacheRoot(), `${client.pkg.replace('/', '+')}@${client.version}`);
}

/** The installed command's path; installs the package first when the cache lacks it. */
export function ensureClient(client: ClientPackage, log: (line: string) => void = () => {}): string {
  const dir = clientDir(client);
  const bin = join(dir, 'node_modules', '.bin', client.bin);
  if (existsSync(bin)) return bin;
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`installing ${client.pkg}@${client.version} into ${dir}`);
  const started = Date.now();
  const npm = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      tmp,
      `${client.pkg}@${client.version}`,
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel=error',
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (npm.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(
      `npm install ${client.pkg}@${client.version} failed (${npm.status ?? npm.signal}):\n${npm.stderr}`,
    );
  }
  for (const pkg of client.localPostinstall ?? []) {
    const r = spawnSync('npm', ['run', 'postinstall', '--ignore-scripts=false'], {
      cwd: join(tmp, 'node_modules', pkg),
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`postinstall of ${pkg} failed:\n${r.stdout}\n${r.stderr}`);
    }
  }
  if (!existsSync(join(tmp, 'node_modules', '.bin', client.bin))) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`${client.pkg}@${client.version} installed no ${client.bin} command`);
  }
  mkdirSync(dirname(dir), { recursive: true });
  // Another process may have finished the same install meanwhile: keep theirs.
  if (existsSync(dir)) rmSync(tmp, { recursive: true, force: true });
  else renameSync(tmp, dir);
  log(`installed ${client.pkg}@${client.version} in ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}

export interface ClientRun {
  code: number | null;
  /** stdout then stderr, ANSI escapes removed. */
  output: string;
  timedOut: boolean;
}

/** Remove ANSI colour and cursor sequences (some clients colour even when piped). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[a-zA-Z]|\x1b\][^\x07]*\x07/g, '');
}

/** Kill a whole process group (the client and whatever it started); ignore it being gone. */
export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Run a client command in its own process group, stdin closed, bounded by `timeoutMs`; the group
 * is killed when the command ends or times out, so no daemon or stdio server outlives the run.
 */
export function runClient(
  file: string,
  args: readonly string[],
  opts: { cwd: string; env: Record<string, string>; timeoutMs: number; stdin?: string },
): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    if (opts.stdin !== undefined) child.stdin.write(opts.stdin);
    child.stdin.end();
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid!);
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    let code: number | null = null;
    // A daemon the client left holds our pipes open: once the client itself exits, kill its group,
    // which closes them (what was written stays readable).
    child.on('exit', (c) => {
      code = c;
      killGroup(child.pid!);
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ code, output: stripAnsi(`${stdout}\n${stderr}`), timedOut });
    });
  });
}
