/**
 * Fetches a pull request's head into a scratch repository of its own, with the git command line:
 * shallow (the head commit's tree only), no tags, big blobs streamed rather than held in memory
 * (`core.bigFileThreshold`), the received pack capped in bytes by the kernel (`ulimit -f`: git's
 * index-pack dies writing past it), a CPU and a wall-clock limit, HTTP(S) only, no credential
 * helpers or prompts. The token reaches git through its environment, never its arguments.
 *
 * The scratch repository never mixes untrusted objects into the cache checkout that deploys use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redactor } from '../log/redact.js';
import { runBounded } from './run-bounded.js';

export interface FetchLimits {
  timeoutMs: number;
  /** Largest pack the fetch may write, in bytes. */
  maxPackBytes: number;
}

export type FetchOutcome =
  | { ok: true; head: string; ms: number }
  | { ok: false; refusal: 'too-large' | 'too-slow' | 'failed'; message: string };

export interface FetchPullHeadInput {
  url: string;
  token?: string;
  number: number;
  /** The scratch repository to create (must not exist). */
  dir: string;
  limits: FetchLimits;
}

export async function fetchPullHead(input: FetchPullHeadInput): Promise<FetchOutcome> {
  const { dir, limits } = input;
  fs.mkdirSync(dir, { recursive: true });
  const env = gitEnv(input.token, dir);
  const init = await runBounded('git', ['init', '-q', dir], {
    env,
    cwd: dir,
    limits: { timeoutMs: 10_000, maxStdoutBytes: 4096 },
  });
  if (init.end.kind === 'spawn-failed')
    return {
      ok: false,
      refusal: 'failed',
      message: 'the git command line is not installed where serve runs (it fetches pull requests with it)',
    };
  if (init.end.kind !== 'exited' || init.end.code !== 0)
    return { ok: false, refusal: 'failed', message: `git init failed: ${firstLine(init.stderr)}` };

  const blocks = Math.max(1, Math.ceil(limits.maxPackBytes / 512));
  const cpuSeconds = Math.max(1, Math.ceil(limits.timeoutMs / 1000));
  const refspec = `+refs/pull/${input.number}/head:refs/mcp-gitops/pull`;
  const fetch = await runBounded(
    '/bin/sh',
    [
      '-c',
      // POSIX ulimit -f counts 512-byte blocks.
      `ulimit -f ${blocks} && ulimit -t ${cpuSeconds} && exec "$@"`,
      'sh',
      'git',
      '-C',
      dir,
      ...GIT_OPTIONS,
      'fetch',
      '--quiet',
      '--no-tags',
      '--no-recurse-submodules',
      '--depth=1',
      input.url,
      refspec,
    ],
    { env, cwd: dir, limits: { timeoutMs: limits.timeoutMs, maxStdoutBytes: 65_536 } },
  );
  if (fetch.end.kind === 'timeout')
    return {
      ok: false,
      refusal: 'too-slow',
      message: `fetching took longer than ${seconds(limits.timeoutMs)}`,
    };
  if (fetch.end.kind !== 'exited' || fetch.end.code !== 0) {
    if (hitFileSizeLimit(dir, blocks * 512))
      return {
        ok: false,
        refusal: 'too-large',
        message: `its git objects are more than ${mib(limits.maxPackBytes)} compressed`,
      };
    return { ok: false, refusal: 'failed', message: `git fetch failed: ${firstLine(fetch.stderr)}` };
  }
  const rev = await runBounded('git', ['-C', dir, 'rev-parse', '--verify', 'refs/mcp-gitops/pull^{commit}'], {
    env,
    cwd: dir,
    limits: { timeoutMs: 10_000, maxStdoutBytes: 4096 },
  });
  const head = rev.stdout.toString('utf8').trim();
  if (!/^[0-9a-f]{40}$/.test(head))
    return { ok: false, refusal: 'failed', message: 'the fetched head is not a commit' };
  return { ok: true, head, ms: fetch.ms };
}

/**
 * Whether the fetch stopped at the byte cap: index-pack, killed by SIGXFSZ writing past it, leaves
 * its temporary pack behind at exactly the limit (git itself only says "invalid index-pack output").
 */
function hitFileSizeLimit(dir: string, limit: number): boolean {
  const packDir = path.join(dir, '.git', 'objects', 'pack');
  try {
    return fs
      .readdirSync(packDir)
      .filter((f) => f.startsWith('tmp_pack_'))
      .some((f) => fs.statSync(path.join(packDir, f)).size >= limit);
  } catch {
    return false;
  }
}

/** Settings for every git call on untrusted objects. */
const GIT_OPTIONS = [
  ['protocol.allow', 'never'],
  ['protocol.https.allow', 'always'],
  ['protocol.http.allow', 'always'],
  ['credential.helper', ''],
  ['core.hooksPath', '/dev/null'],
  ['core.bigFileThreshold', '1m'],
  ['fetch.unpackLimit', '1'],
  ['transfer.unpackLimit', '1'],
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['http.lowSpeedLimit', '1000'],
  ['http.lowSpeedTime', '30'],
].flatMap(([k, v]) => ['-c', `${k}=${v}`]);

function gitEnv(token: string | undefined, dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    LANG: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    ...proxyEnv(),
  };
  if (token) {
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    redactor.add(basic);
    Object.assign(env, {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    });
  }
  return env;
}

/** A proxy the operator configured for this process applies to the fetch too. */
function proxyEnv(): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of [
    'HTTPS_PROXY',
    'https_proxy',
    'HTTP_PROXY',
    'http_proxy',
    'NO_PROXY',
    'no_proxy',
    'GIT_SSL_CAINFO',
    'SSL_CERT_FILE',
  ])
    if (process.env[name]) out[name] = process.env[name];
  return out;
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? 'no output';
  return redactor.redact(line.trim().slice(0, 300));
}

export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

export function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

/** Remove a scratch repository (best effort). */
export function removeScratch(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function scratchDir(stateDir: string, number: number): string {
  return path.join(stateDir, 'pull-requests', `${number}-${process.pid}-${Date.now().toString(36)}`);
}
