/**
 * The launcher that runs on the host next to the servers (written to `<baseDir>/lib/launcher.cjs`
 * by apply, so the same file works on any host that has node). It is the server's parent: it
 * restarts a server that dies, with backoff, counts restarts and tells a crash loop (see
 * launcher-run-script.ts), rotates the server's log by size (launcher-log-script.ts), and keeps
 * secrets out of argv: the server's environment comes from its 0600 env file, read here and
 * given to the child. With `--listen-host`, `net.Server#listen(port)` calls that name no host (or
 * a wildcard) are bound to that host, so a laptop does not expose servers that bind every
 * interface; the same file is `--require`d into node children (directly, or through NODE_OPTIONS)
 * for that and to make an orphaned child exit when its launcher is gone.
 *
 *   run   --env-file F [--listen-host H] [--pidfile P] [--state S] [--port N]
 *         [--log L --log-max-bytes B --log-keep K] -- PROGRAM [ARGS...]          (foreground)
 *   start --pidfile P --output O -- <run arguments>       (detached pidfile supervisor)
 *   stop  --pidfile P [--state S] [--schedule INT/5/TERM/3/KILL/3]  (stop what the pidfile names, if ours)
 *   reap  --state S                                        (stop a child a killed launcher left behind)
 *
 * Kept as plain CommonJS with no dependencies; it is exercised by the process provider's tests.
 */
import { HOST_PROC_SCRIPT } from './host-proc-script.js';
import { LAUNCHER_LOG_SCRIPT } from './launcher-log-script.js';
import { LAUNCHER_RUN_SCRIPT } from './launcher-run-script.js';
export const LAUNCHER_SCRIPT = String.raw`'use strict';
// mcp-gitops launcher (generated; do not edit)
const fs = require('node:fs');
const path = require('node:path');
const net = require('node:net');
const { spawn } = require('node:child_process');

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

function patchListen(host) {
  if (!host || net.Server.prototype.__mcpGitopsHost) return;
  const listen = net.Server.prototype.listen;
  net.Server.prototype.__mcpGitopsHost = host;
  net.Server.prototype.listen = function (...args) {
    const first = args[0];
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      const port = Number(first);
      const second = args[1];
      if (typeof second === 'string' && !WILDCARDS.has(second)) return listen.apply(this, args);
      const rest = args.slice(typeof second === 'string' || second === undefined || second === null ? 2 : 1);
      return listen.call(this, port, host, ...rest);
    }
    if (first && typeof first === 'object' && first.path === undefined && (first.host === undefined || WILDCARDS.has(first.host))) {
      return listen.call(this, { ...first, host }, ...args.slice(1));
    }
    return listen.apply(this, args);
  };
}

/** In a server process: when the process that started it is gone, stop (SIGINT first, as a supervisor would). */
function exitWhenOrphaned() {
  if (!process.env.MCP_GITOPS_STATE || global.__mcpGitopsOrphanGuard) return;
  global.__mcpGitopsOrphanGuard = true;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    setTimeout(() => process.exit(1), 5000).unref();
    process.kill(process.pid, 'SIGINT');
  }, 250);
  timer.unref();
}

function parseEnvFile(file) {
  const env = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const raw = line.slice(eq + 1);
    env[key] = raw.startsWith('"') ? JSON.parse(raw) : raw;
  }
  return env;
}

function parseArgs(argv) {
  const opts = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('--')) break;
    opts[a.slice(2)] = argv[++i];
  }
  return { opts, rest: argv.slice(i) };
}

${HOST_PROC_SCRIPT}
function ours(pid, launcher) {
  try {
    return fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\0').includes(launcher);
  } catch {
    return isAlive(pid);
  }
}

function readPid(pidfile) {
  try {
    const pid = Number(fs.readFileSync(pidfile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isNodeScript(program) {
  if (/\.(c|m)?js$/.test(program)) return true;
  try {
    const head = fs.readFileSync(program, { encoding: 'utf8', flag: 'r' }).slice(0, 128);
    return /^#!.*\bnode\b/.test(head);
  } catch {
    return false;
  }
}

${LAUNCHER_LOG_SCRIPT}
${LAUNCHER_RUN_SCRIPT}
function start(argv) {
  const { opts, rest } = parseArgs(argv);
  const output = opts['output'] || opts['log'];
  if (!opts['pidfile'] || !output) throw new Error('start needs --pidfile and --output');
  const existing = readPid(opts['pidfile']);
  if (existing && isAlive(existing) && ours(existing, __filename)) {
    console.log(JSON.stringify({ pid: existing, started: false }));
    return;
  }
  const log = fs.openSync(output, 'a', 0o600);
  const child = spawn(process.execPath, [...process.execArgv, __filename, 'run', '--pidfile', opts['pidfile'], ...rest], {
    detached: true,
    stdio: ['ignore', log, log],
    env: process.env,
    cwd: opts['cwd'] || path.dirname(opts['pidfile']),
  });
  fs.writeFileSync(opts['pidfile'], String(child.pid) + '\n');
  child.unref();
  console.log(JSON.stringify({ pid: child.pid, started: true }));
}

async function stop(argv) {
  const { opts } = parseArgs(argv);
  const pidfile = opts['pidfile'];
  const pid = readPid(pidfile);
  const schedule = (opts['schedule'] || 'INT/5/TERM/3/KILL/3').split('/');
  if (pid && isAlive(pid) && ours(pid, opts['launcher'] || __filename)) {
    let stopped = false;
    for (let i = 0; i < schedule.length && !stopped; i += 2) {
      try { process.kill(pid, 'SIG' + schedule[i]); } catch { stopped = true; break; }
      const until = Date.now() + Number(schedule[i + 1] || 3) * 1000;
      while (Date.now() < until) {
        if (!isAlive(pid)) { stopped = true; break; }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    if (!stopped && isAlive(pid)) {
      console.log(JSON.stringify({ pid, stopped: false }));
      process.exitCode = 2;
      return;
    }
  }
  // A server its dead launcher left behind is stopped before the pidfile goes: no server of ours
  // answers without a pidfile.
  const reaped = opts['state'] ? reapOrphan(opts['state']) : undefined;
  fs.rmSync(pidfile, { force: true });
  console.log(JSON.stringify({ pid: pid || null, stopped: true, reaped: reaped || null }));
}

if (require.main === module) {
  const [mode, ...argv] = process.argv.slice(2);
  const modes = { run, start, stop, reap };
  if (!modes[mode]) {
    console.error('usage: launcher.cjs run|start|stop|reap ...');
    process.exit(64);
  }
  Promise.resolve(modes[mode](argv)).catch((err) => {
    console.error('mcp-gitops launcher: ' + (err && err.message ? err.message : String(err)));
    process.exit(1);
  });
} else {
  if (process.env.MCP_GITOPS_ENV_FILE) {
    const file = process.env.MCP_GITOPS_ENV_FILE;
    delete process.env.MCP_GITOPS_ENV_FILE;
    Object.assign(process.env, parseEnvFile(file));
  }
  patchListen(process.env.MCP_GITOPS_LISTEN_HOST);
  exitWhenOrphaned();
}
`;
