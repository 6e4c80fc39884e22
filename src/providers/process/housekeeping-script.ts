/**
 * Run on the host with `node -e` after a server was (re)started (one command, also over ssh):
 * removes what the process provider made and no longer needs under `baseDir`, and prints what it
 * removed as JSON `{ packages: [...], files: [...] }`.
 *
 * - Installed package versions (`packages/<id>@<version>/`): kept when a server of any
 *   environment under this baseDir runs it (its spec.json), when it is among the last KEEP + 1
 *   versions in a server's history.json (the current one and KEEP before it, for rollback), or
 *   when the caller names it (desired servers, installs in progress). Everything else goes.
 *   An install that never completed (no marker) goes only once it is older than STALE_MS.
 * - Temporary files of interrupted atomic writes (`.NAME.PID.HEX.tmp`, `.mcp-gitops.TOKEN.tmp`,
 *   the launcher's `state.json.PID.tmp`) older than STALE_MS, in server directories and `lib/`.
 *
 *   node -e HOUSEKEEPING_SCRIPT BASE_DIR KEEP KEEP_ALSO_JSON STALE_MS [SCANNED_JSON]
 *
 * SCANNED_JSON (the housekeepings of one run's batch on the local host, housekeeping.ts) names
 * directories whose temporary files an earlier run of the script looked at, relative to BASE_DIR:
 * `{ dir: revisitAt }`,
 * revisitAt the time (ms) the youngest temporary file it left there turns stale, or null when it
 * left none. Such a directory is looked at again only once that time has passed; with the
 * argument, the output also says, as `scanned`, what this run looked at, in the same form. Each
 * start of a run's 200 servers looked into all 200 server directories before (issue 16).
 */
export const HOUSEKEEPING_SCRIPT = String.raw`'use strict';
const fs = require('node:fs');
const path = require('node:path');
const [baseDir, keepArg, alsoArg, staleArg, scannedArg] = process.argv.slice(1);
const scannedBefore = scannedArg ? JSON.parse(scannedArg) : undefined;
const scanned = {};
const keepCount = Number(keepArg);
const staleMs = Number(staleArg);
const now = Date.now();
const keep = new Set(JSON.parse(alsoArg || '[]'));
const removed = { packages: [], files: [] };
function readJson(file) { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return undefined; } }
function dirs(dir) { try { return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name); } catch { return []; } }
function files(dir) { try { return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name); } catch { return []; } }
function mtime(file) { try { return fs.statSync(file).mtimeMs; } catch { return undefined; } }
function old(file) { const at = mtime(file); return at !== undefined && now - at > staleMs; }
const TEMP = [/^\..+\.\d+\.[0-9a-f]+\.tmp$/, /^\.mcp-gitops\.[A-Za-z0-9_-]+\.tmp(\.bak)?$/, /^state\.json\.\d+\.tmp$/];

const serverDirs = [];
const keys = new Map();
for (const env of dirs(path.join(baseDir, 'servers'))) {
  for (const name of dirs(path.join(baseDir, 'servers', env))) {
    const dir = path.join(baseDir, 'servers', env, name);
    serverDirs.push(dir);
    keys.set(dir, 'servers/' + env + '/' + name);
  }
}
keys.set(path.join(baseDir, 'lib'), 'lib');

const packagesDir = path.join(baseDir, 'packages');
const installs = [];
for (const entry of dirs(packagesDir)) {
  if (entry.startsWith('@') && !entry.includes('@', 1)) {
    for (const inner of dirs(path.join(packagesDir, entry))) installs.push(entry + '/' + inner);
  } else installs.push(entry);
}
// The servers' records only add to what is kept: read them when some install could go (after
// every apply, reading all of them made a first reconcile quadratic in the number of servers).
if (installs.some((install) => !keep.has(install) && install.lastIndexOf('@') > 0)) {
  for (const dir of serverDirs) {
    const record = readJson(path.join(dir, 'spec.json'));
    const pkg = record && record.spec && record.spec.package;
    if (pkg && record.version) keep.add(pkg.identifier + '@' + record.version);
    const history = readJson(path.join(dir, 'history.json'));
    if (Array.isArray(history)) for (const v of history.slice(-(keepCount + 1))) keep.add(String(v));
  }
}
for (const install of installs) {
  if (keep.has(install) || install.lastIndexOf('@') <= 0) continue;
  const dir = path.join(packagesDir, install);
  const complete = fs.existsSync(path.join(dir, '.mcp-gitops-installed'));
  if (!complete && !old(dir)) continue;
  fs.rmSync(dir, { recursive: true, force: true });
  removed.packages.push(install + (complete ? '' : ' (incomplete install)'));
}
for (const scope of dirs(packagesDir).filter((d) => d.startsWith('@') && !d.includes('@', 1))) {
  try { fs.rmdirSync(path.join(packagesDir, scope)); } catch {}
}

for (const dir of [...serverDirs, path.join(baseDir, 'lib')]) {
  const key = keys.get(dir);
  const revisitAt = scannedBefore && Object.hasOwn(scannedBefore, key) ? scannedBefore[key] : undefined;
  if (revisitAt === null || (typeof revisitAt === 'number' && now <= revisitAt)) continue;
  let next = null;
  for (const name of files(dir)) {
    if (!TEMP.some((re) => re.test(name))) continue;
    const at = mtime(path.join(dir, name));
    if (at === undefined) continue;
    if (now - at <= staleMs) {
      next = next === null ? at + staleMs : Math.min(next, at + staleMs);
      continue;
    }
    fs.rmSync(path.join(dir, name), { force: true });
    removed.files.push(path.join(dir, name));
  }
  scanned[key] = next;
}
process.stdout.write(JSON.stringify(scannedBefore ? { ...removed, scanned } : removed));
`;
