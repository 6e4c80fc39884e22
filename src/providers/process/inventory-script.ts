/**
 * Run on the host with `node -e` by `observe` (one command per target, also over ssh): lists the
 * server directories of one environment with their `spec.json` and whether the pid in their
 * pidfile is alive (zombies count as dead: PID 1 may reap late) and really is our launcher (a
 * reused pid is not). Prints one JSON array. Reads only; a missing directory is an empty list.
 *
 *   node -e INVENTORY_SCRIPT SERVERS_DIR LAUNCHER_PATH
 */
export const INVENTORY_SCRIPT = String.raw`'use strict';
const fs = require('node:fs');
const path = require('node:path');
const [dir, launcher] = process.argv.slice(1);
function read(file) { try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; } }
function state(pid) {
  const stat = read('/proc/' + pid + '/stat');
  if (stat === undefined) { try { process.kill(pid, 0); return 'R'; } catch { return undefined; } }
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}
function ours(pid) {
  const cmdline = read('/proc/' + pid + '/cmdline');
  return cmdline === undefined || cmdline.split('\0').includes(launcher);
}
let names = [];
try { names = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort(); } catch {}
const out = names.map((name) => {
  const specText = read(path.join(dir, name, 'spec.json'));
  let spec = null;
  try { spec = specText === undefined ? null : JSON.parse(specText); } catch { spec = null; }
  const pid = Number((read(path.join(dir, name, 'pid')) || '').trim()) || null;
  const st = pid ? state(pid) : undefined;
  const running = Boolean(pid && st !== undefined && st !== 'Z' && st !== 'X' && ours(pid));
  return { name, spec, pid, running };
});
process.stdout.write(JSON.stringify(out));
`;
