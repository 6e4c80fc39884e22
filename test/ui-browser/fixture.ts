/**
 * What the browser tests look at: a real `serve` (real steady loop, short interval) on a config
 * repo behind the real HTTP git remote, with real MCP servers. Environment `ui` (drift: warn, so
 * a killed server is reported and left down) has two targets:
 * - `vm` (process provider): `tiny`, the bench's one-tool server over streamable HTTP, under the
 *   real launcher; killing it makes it degraded;
 * - `laptop` (client-config): `surface` and `hostile`, stdio surface servers whose tools come from
 *   a file the test rewrites, both locked (`tools lock`, committed) and both bound to a canary
 *   secret, so a description change shows against the lock and a page can be scanned for it.
 * The remote's own `dev` environment (server-memory on client-config) stays, for a second env.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TargetReport } from '../../src/core/report.js';
import { stopServers } from '../../src/engine/stop-servers.js';
import type { RunningServe } from '../../src/serve/start-serve.js';
import type { ReconcileEvent } from '../../src/serve/types.js';
import { cliRunner } from '../helpers/cli.js';
import { freePort, waitFor } from '../helpers/mcp-servers.js';
import { createSurfaceServer, defaultSurface, type SurfaceServer } from '../helpers/surface-server.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { startRemoteServe } from '../serve/start-remote-serve.js';

const TINY = fileURLToPath(new URL('../../bench/fixtures/tiny-mcp-server.mjs', import.meta.url));

/** A tool description a browser must show as text: markup that runs script if it is parsed. */
export const HOSTILE_MARKUP = '<img src=x onerror=window.__pwned=1>';

export interface UiFixture {
  remote: ConfigRemote;
  serve: RunningServe;
  url: string;
  canary: string;
  events: ReconcileEvent[];
  surface: SurfaceServer;
  hostile: SurfaceServer;
  /** The committed report of a target, as serve's last reconcile wrote it. */
  report(env: string, target: string): TargetReport;
  /**
   * Commit everything in the pusher's clone and push it. serve pushes report commits to the same
   * branch all the time, so a push can lose the race between its rebase and its push: try again.
   */
  commitAndPush(message: string): Promise<string>;
  /** PID of `tiny`'s launcher (what its pidfile names). */
  tinyPid(): number;
  stop(): Promise<void>;
}

const serverYaml = (name: string, command: { command: string; args: string[] }) =>
  `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: ${name} }\nspec:\n  command:\n    path: ${JSON.stringify(command.command)}\n    args: ${JSON.stringify(command.args)}\n  transport: stdio\n  secrets: [{ name: API_TOKEN, ref: "env:UI_CANARY" }]\n  health: { timeoutMs: 15000 }\n`;

/** `intervalMs`: the steady loop's interval (the tests wait at most about one of it plus a pass). */
export async function startUiFixture(options: { intervalMs: number }): Promise<UiFixture> {
  const canary = `ui-canary-${randomBytes(8).toString('hex')}`;
  process.env.UI_CANARY = canary;
  const remote = await createConfigRemote();
  let serve: RunningServe | undefined;
  let validConfig: string | undefined;
  const stop = async () => {
    await serve?.stop();
    // Tests leave the branch at configs that no longer load (a hand-pasted lock with a secret in
    // it): stop the servers from the first config, whose targets are the same ones.
    if (validConfig) {
      const dir = path.join(remote.base, 'stop-checkout');
      execFileSync('git', ['clone', '-q', remote.bare, dir]);
      execFileSync('git', ['-C', dir, 'checkout', '-q', '--detach', validConfig]);
      await stopServers({ repoDir: dir, environment: 'ui' });
    }
    await remote.close();
    delete process.env.UI_CANARY;
  };
  try {
    return await start(
      remote,
      canary,
      options,
      (s, config) => {
        serve = s;
        validConfig = config;
      },
      stop,
    );
  } catch (e) {
    await stop();
    throw e;
  }
}

async function start(
  remote: ConfigRemote,
  canary: string,
  options: { intervalMs: number },
  started: (serve: RunningServe, validConfig: string) => void,
  stop: () => Promise<void>,
): Promise<UiFixture> {
  const baseDir = path.join(remote.base, 'procs-ui');
  const laptopHome = path.join(remote.base, 'ui-home');
  fs.mkdirSync(laptopHome);
  const port = await freePort();
  const surface = createSurfaceServer(path.join(remote.base, 'surface'));
  const hostile = createSurfaceServer(path.join(remote.base, 'hostile'), {
    tools: [
      {
        name: 'render',
        description: `${HOSTILE_MARKUP} Renders a page.`,
        inputSchema: { type: 'object', properties: { html: { type: 'string', description: '<b>bold</b>' } } },
      },
    ],
  });
  const { pusher } = remote;
  pusher.write(
    'servers/tiny.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: tiny }\nspec:\n  command: { path: ${process.execPath}, args: [${TINY}, http] }\n  transport: streamable-http\n  port: 40000\n  path: /mcp\n  env: { PORT: "{{server.port}}" }\n  health: { expectTools: [ping], timeoutMs: 15000 }\n`,
  );
  pusher.write('servers/surface.yaml', serverYaml('surface', surface));
  pusher.write('servers/hostile.yaml', serverYaml('hostile', hostile));
  pusher.write(
    'environments/ui.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: ui }\nspec:\n  sync: { drift: warn }\n  targets:\n    - name: vm\n      provider: process\n      baseDir: ${baseDir}\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${laptopHome}\n  servers:\n    - name: tiny\n      targets: [vm]\n      overrides: { port: ${port} }\n    - name: surface\n      targets: [laptop]\n    - name: hostile\n      targets: [laptop]\n`,
  );
  const cli = cliRunner({ MCP_GITOPS_HOME: laptopHome, UI_CANARY: canary });
  for (const server of ['surface', 'hostile']) {
    const r = await cli.run(['--repo', pusher.dir, 'tools', 'lock', server, '--env', 'ui']);
    if (r.code !== 0) throw new Error(`tools lock ${server} failed:\n${r.stdout}\n${r.stderr}`);
  }
  const validConfig = await pusher.commitAndPush(
    'ui environment: a process target and two locked surface servers',
  );

  const events: ReconcileEvent[] = [];
  const serve = await startRemoteServe(remote, {
    bodyLimit: 1024,
    intervalMs: options.intervalMs,
    extensions: [{ observer: { reconciled: (e) => events.push(e) } }],
  });
  started(serve, validConfig);
  const report = (env: string, target: string) =>
    JSON.parse(remote.remoteGit('show', `main:reports/${env}/${target}.json`)) as TargetReport;
  await waitFor(
    () => ['ui', 'dev'].every((env) => events.some((e) => e.environment === env && e.trigger === 'startup')),
    { timeoutMs: 120_000, what: 'the startup reconciles' },
  );
  return {
    remote,
    serve,
    url: serve.url,
    canary,
    events,
    surface,
    hostile,
    report,
    commitAndPush: (message: string) => pusher.commitAndPush(message),
    tinyPid: () => Number(fs.readFileSync(path.join(baseDir, 'servers', 'ui', 'tiny', 'pid'), 'utf8').trim()),
    stop,
  };
}

/** The original two-tool surface with `echo`'s description reworded (a rug pull). */
export function rewordedSurface(description: string) {
  const s = defaultSurface();
  const echo = s.tools.find((t) => t.name === 'echo')!;
  echo.description = description;
  return s;
}
