/**
 * A stdio-to-streamable-HTTP bridge the process provider writes to `<baseDir>/lib/` and runs on an
 * ssh host (with the node that runs the servers) when a server cannot be reached from the
 * reconciler: `node mcp-http-bridge.cjs URL [WAIT_MS]`. Each JSON-RPC line on stdin is POSTed to
 * URL (keeping the `mcp-session-id`), each response — plain JSON or SSE `data:` events — becomes a
 * line on stdout. So the reconciler's own MCP client does the handshake and `tools/list` against
 * the server on the host's loopback, through ssh. A refused connection is retried for WAIT_MS
 * (default 10 s: the server may still be starting); the session is deleted when stdin closes.
 * Given the server's pidfile, state file, port and listen host, the bridge checks before relaying
 * the first answer that the listening socket belongs to the server's launcher tree; if another
 * process holds the port it exits with that reason on stderr instead (verification then fails
 * with it, never with a borrowed "healthy").
 *
 *   node mcp-http-bridge.cjs URL [WAIT_MS [PIDFILE STATEFILE PORT LISTEN_HOST]]
 */
import { HOST_PROC_SCRIPT } from './host-proc-script.js';

export const HTTP_BRIDGE_SCRIPT = `'use strict';
// mcp-gitops stdio <-> streamable-http bridge (generated; do not edit).
const fs = require('node:fs');
const url = process.argv[2];
const waitMs = Number(process.argv[3] || 10000);
const [pidfile, statefile, ownPort, listenHost] = process.argv.slice(4);
let ownerChecked = !pidfile;
const deadline = Date.now() + waitMs;
let session;
let queue = Promise.resolve();

function fail(err) {
  const cause = err && err.cause ? ': ' + (err.cause.code || err.cause.message) : '';
  process.stderr.write('mcp-http-bridge: ' + (err && err.message ? err.message : String(err)) + cause + '\\n');
  process.exit(1);
}

async function post(init) {
  for (;;) {
    try {
      return await fetch(url, init);
    } catch (err) {
      const code = err && err.cause && err.cause.code;
      if (code !== 'ECONNREFUSED' || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

${HOST_PROC_SCRIPT}
/** Exit with the reason when a process outside the server's launcher tree holds its port. */
function checkOwner() {
  ownerChecked = true;
  const pid = Number((readText(pidfile) || '').trim()) || 0;
  let state = {};
  try { state = JSON.parse(readText(statefile) || '{}'); } catch {}
  const child = state.launcherPid === pid && state.childPid ? state.childPid : 0;
  const owner = portOwner(Number(ownPort), listenHost, [pid, child]);
  if (owner.state === 'foreign') fail(new Error(describeOwner(Number(ownPort), owner)));
}

async function forward(line) {
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (session) headers['mcp-session-id'] = session;
  const res = await post({ method: 'POST', headers, body: line });
  session = res.headers.get('mcp-session-id') || session;
  if (res.status === 202 || res.status === 204) return;
  const type = res.headers.get('content-type') || '';
  const body = await res.text();
  if (!res.ok) throw new Error('HTTP ' + res.status + ' from ' + url + ': ' + body.slice(0, 200));
  if (!ownerChecked) checkOwner();
  if (type.includes('text/event-stream')) {
    for (const event of body.split(/\\r?\\n\\r?\\n/)) {
      const data = event.split(/\\r?\\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim());
      if (data.length > 0 && data.join('') !== '') process.stdout.write(data.join('\\n') + '\\n');
    }
  } else if (body.trim() !== '') {
    process.stdout.write(body.trim().replace(/\\n/g, ' ') + '\\n');
  }
}

let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let index;
  while ((index = buffer.indexOf('\\n')) >= 0) {
    const line = buffer.slice(0, index).trim();
    buffer = buffer.slice(index + 1);
    if (line !== '') queue = queue.then(() => forward(line)).catch(fail);
  }
});
process.stdin.on('end', () => {
  queue.then(async () => {
    if (session) {
      const signal = AbortSignal.timeout(1000);
      await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': session }, signal }).catch(() => {});
    }
    process.exit(0);
  });
});
`;
