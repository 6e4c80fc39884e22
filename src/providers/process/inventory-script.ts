/**
 * Run on the host with `node -e` by `observe`, `apply` and verification (one command per call,
 * also over ssh): lists the server directories of one environment with their `spec.json`, whether
 * the launcher in their pidfile is alive and really ours (a reused pid is not), the launcher's
 * state file (restarts, last exit, crash loop) and whether the server process it names lives.
 * For a server that is not serving, the last lines of its log come along, with the values of its
 * secrets (from its env file) replaced on the host, so they never travel. With a server name as
 * third argument, that server's port is checked: who holds the listening socket (ours, foreign,
 * free; see host-proc-script.ts). With a server name as fourth argument, only that server's
 * directory is read (an apply or a verification asks about one server: reading every other one
 * made each such question cost as much as the whole inventory). With `{ port, sockets }` as JSON
 * fifth argument, `sockets` are the listening sockets on that port as the caller read them a
 * moment ago (listener-snapshot.ts): when it is the checked server's port, /proc/net/tcp{,6} is
 * not read again. Prints one JSON array. Reads only; a missing directory is [].
 *
 *   node -e INVENTORY_SCRIPT SERVERS_DIR LAUNCHER_PATH [CHECK_PORT_OF_SERVER] [ONLY_SERVER] [LISTENERS_JSON]
 */
import { HOST_PROC_SCRIPT } from './host-proc-script.js';

export const INVENTORY_SCRIPT = String.raw`'use strict';
const fs = require('node:fs');
const path = require('node:path');
const [dir, launcher, checkPortOf, only, listenersArg] = process.argv.slice(1);
const knownListeners = listenersArg ? JSON.parse(listenersArg) : undefined;
${HOST_PROC_SCRIPT}
const TAIL_BYTES = 16384;
const TAIL_LINES = 5;
function readJson(file) { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return null; } }
function ours(pid) {
  const cmdline = readText('/proc/' + pid + '/cmdline');
  return cmdline === undefined || cmdline.split('\0').includes(launcher);
}
function secretValues(serverDir, spec) {
  const names = new Set(((spec && spec.spec && spec.spec.secrets) || []).map((s) => s.name));
  const values = [];
  for (const line of (readText(path.join(serverDir, 'env')) || '').split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0 || !names.has(line.slice(0, eq))) continue;
    const raw = line.slice(eq + 1);
    let value = raw;
    try { value = raw.startsWith('"') ? JSON.parse(raw) : raw; } catch {}
    if (value.length < 4) continue;
    values.push(value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), Buffer.from(value).toString('base64'));
  }
  return values.filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}
function logTail(serverDir, spec) {
  const file = path.join(serverDir, 'log');
  let text = '';
  try {
    const fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, TAIL_BYTES));
    fs.readSync(fd, buf, 0, buf.length, size - buf.length);
    fs.closeSync(fd);
    text = buf.toString('utf8');
  } catch { return []; }
  const secrets = secretValues(serverDir, spec);
  return text.split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('[mcp-gitops launcher] '))
    .slice(-TAIL_LINES)
    .map((l) => {
      let line = l.length > 300 ? l.slice(0, 300) + '…' : l;
      for (const s of secrets) line = line.split(s).join('[REDACTED]');
      return line;
    });
}
let names = [];
if (only) {
  // The one directory asked about, as the listing would have it (a directory, not a link to one).
  try { if (!only.includes('/') && only !== '.' && only !== '..' && fs.lstatSync(path.join(dir, only)).isDirectory()) names = [only]; } catch {}
} else {
  try { names = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort(); } catch {}
}
const out = names.map((name) => {
  const serverDir = path.join(dir, name);
  const spec = readJson(path.join(serverDir, 'spec.json'));
  const pid = Number((readText(path.join(serverDir, 'pid')) || '').trim()) || null;
  const pidAlive = Boolean(pid && isAlive(pid));
  const running = pidAlive && ours(pid);
  const statePath = path.join(serverDir, 'state.json');
  const saved = readJson(statePath);
  const state = saved && pid && saved.launcherPid === pid ? saved : null;
  const childRunning = Boolean(
    state && state.childPid && isAlive(state.childPid) && environOf(state.childPid).includes('MCP_GITOPS_STATE=' + statePath),
  );
  const row = { name, spec, pid, pidAlive, running, state, childRunning };
  const serving = running && (!state || (childRunning && !state.crashLoop));
  if (!serving || name === checkPortOf) row.logTail = logTail(serverDir, spec);
  if (name === checkPortOf && spec && spec.port) {
    const roots = [running ? pid : 0, childRunning ? state.childPid : 0];
    const known = knownListeners && knownListeners.port === spec.port ? knownListeners.sockets : undefined;
    const owner = portOwner(spec.port, spec.listenHost, roots, known);
    row.port = owner.state === 'foreign' ? { ...owner, reason: describeOwner(spec.port, owner) } : owner;
  }
  return row;
});
process.stdout.write(JSON.stringify(out));
`;
