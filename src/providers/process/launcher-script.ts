/**
 * The launcher that runs on the host next to the servers (written to `<baseDir>/lib/launcher.cjs`
 * by apply, so the same file works on any host that has node). It keeps secrets out of argv: the
 * server's environment comes from its 0600 env file, read here and set before the server's code
 * runs. Node package bins run in-process (the supervised pid IS the server); other commands are
 * spawned with signals forwarded. With `--listen-host`, `net.Server#listen(port)` calls that name
 * no host (or a wildcard) are bound to that host, so a laptop does not expose servers that bind
 * every interface; the same file is `--require`d through NODE_OPTIONS into spawned node children.
 *
 *   run   --env-file F [--listen-host H] [--pidfile P] -- PROGRAM [ARGS...]   (foreground)
 *   start --pidfile P --log L -- <run arguments>        (detached pidfile supervisor)
 *   stop  --pidfile P [--schedule INT/5/TERM/3/KILL/3]  (stop what the pidfile names, if it is ours)
 *
 * Kept as plain CommonJS with no dependencies; it is exercised by the process provider's tests.
 */
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

function procState(pid) {
  try {
    const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

function alive(pid) {
  const state = procState(pid);
  if (state === undefined) {
    try { process.kill(pid, 0); return true; } catch { return false; }
  }
  return state !== 'Z' && state !== 'X';
}

function ours(pid, launcher) {
  try {
    return fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\0').includes(launcher);
  } catch {
    return alive(pid);
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

async function run(argv) {
  const { opts, rest } = parseArgs(argv);
  const [program, ...args] = rest;
  if (!program || !opts['env-file']) throw new Error('run needs --env-file and a program');
  Object.assign(process.env, parseEnvFile(opts['env-file']));
  // The pidfile outlives the process on purpose: a dead pid in it is how a crash is told from "not started yet".
  if (opts['pidfile']) fs.writeFileSync(opts['pidfile'], String(process.pid) + '\n');
  if (opts['listen-host']) process.env.MCP_GITOPS_LISTEN_HOST = opts['listen-host'];
  if (isNodeScript(program)) {
    patchListen(opts['listen-host']);
    // Run it as node would run it as the main module (CommonJS or ESM; require.main is the bin).
    process.argv = [process.argv[0], path.resolve(program), ...args];
    require('node:module').runMain();
    return;
  }
  if (opts['listen-host']) {
    const preload = '--require ' + JSON.stringify(__filename);
    process.env.NODE_OPTIONS = process.env.NODE_OPTIONS ? process.env.NODE_OPTIONS + ' ' + preload : preload;
  }
  const child = spawn(program, args, { stdio: 'inherit', env: process.env });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => { console.error('mcp-gitops launcher: ' + err.message); process.exit(127); });
  child.on('exit', (code, sig) => process.exit(code === null ? 128 + (require('node:os').constants.signals[sig] || 0) : code));
}

function start(argv) {
  const { opts, rest } = parseArgs(argv);
  if (!opts['pidfile'] || !opts['log']) throw new Error('start needs --pidfile and --log');
  const existing = readPid(opts['pidfile']);
  if (existing && alive(existing) && ours(existing, __filename)) {
    console.log(JSON.stringify({ pid: existing, started: false }));
    return;
  }
  const log = fs.openSync(opts['log'], 'a', 0o600);
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
  if (pid && alive(pid) && ours(pid, opts['launcher'] || __filename)) {
    let stopped = false;
    for (let i = 0; i < schedule.length && !stopped; i += 2) {
      try { process.kill(pid, 'SIG' + schedule[i]); } catch { stopped = true; break; }
      const until = Date.now() + Number(schedule[i + 1] || 3) * 1000;
      while (Date.now() < until) {
        if (!alive(pid)) { stopped = true; break; }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    if (!stopped && alive(pid)) {
      console.log(JSON.stringify({ pid, stopped: false }));
      process.exitCode = 2;
      return;
    }
  }
  fs.rmSync(pidfile, { force: true });
  console.log(JSON.stringify({ pid: pid || null, stopped: true }));
}

if (require.main === module) {
  const [mode, ...argv] = process.argv.slice(2);
  const modes = { run, start, stop };
  if (!modes[mode]) {
    console.error('usage: launcher.cjs run|start|stop ...');
    process.exit(64);
  }
  Promise.resolve(modes[mode](argv)).catch((err) => {
    console.error('mcp-gitops launcher: ' + (err && err.message ? err.message : String(err)));
    process.exit(1);
  });
} else {
  patchListen(process.env.MCP_GITOPS_LISTEN_HOST);
}
`;
