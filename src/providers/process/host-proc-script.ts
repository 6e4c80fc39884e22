/**
 * Plain CommonJS functions (a source fragment, not a module) shared by the scripts the process
 * provider runs on a host — the launcher, the inventory and the HTTP bridge: process state from
 * /proc (zombies count as dead: PID 1 may reap late), a process tree by parent pid, and who holds
 * a listening TCP port (the socket inode from /proc/net/tcp{,6} matched against /proc/<pid>/fd).
 * Every function reads only. Expects `fs` (node:fs) in scope.
 *
 *   portOwner(port, address, roots, listeners?)
 *                                      → { state: 'free' | 'ours' | 'foreign', pid?, comm?, uid?, server? }
 *     (roots: the launcher and server pids; their process tree is built — reading /proc/<pid>/stat
 *     of every process on the host — only when something listens there that the server itself
 *     does not hold; listeners: the port's listening sockets as listeningSockets() read them a
 *     moment ago, instead of reading /proc/net/tcp{,6} again)
 *   listeningSockets()                 → [{ port, address, uid, inode }] of every listening TCP socket
 *   describeOwner(port, owner)         → "port 38201 is in use by another process (pid 812, node)"
 */
export const HOST_PROC_SCRIPT = String.raw`
function readText(file) { try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; } }
function procStat(pid) {
  const stat = readText('/proc/' + pid + '/stat');
  if (stat === undefined) return undefined;
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return { state: fields[0], ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, close) };
}
function isAlive(pid) {
  if (!pid) return false;
  const stat = procStat(pid);
  if (stat === undefined) {
    if (fs.existsSync('/proc/self/stat')) return false;
    try { process.kill(pid, 0); return true; } catch { return false; }
  }
  return stat.state !== 'Z' && stat.state !== 'X';
}
function environOf(pid) { return (readText('/proc/' + pid + '/environ') || '').split('\0'); }
function allPids() {
  try { return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number); } catch { return []; }
}
/** The roots and every live descendant of them, by parent pid. */
function processTree(roots) {
  const children = new Map();
  for (const pid of allPids()) {
    const stat = procStat(pid);
    if (!stat || stat.state === 'Z') continue;
    if (!children.has(stat.ppid)) children.set(stat.ppid, []);
    children.get(stat.ppid).push(pid);
  }
  const tree = new Set();
  const queue = roots.filter((pid) => pid && isAlive(pid));
  while (queue.length > 0) {
    const pid = queue.pop();
    if (tree.has(pid)) continue;
    tree.add(pid);
    for (const child of children.get(pid) || []) queue.push(child);
  }
  return tree;
}
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '']);
function hexToAddress(hex) {
  if (hex.length === 8) {
    const n = parseInt(hex, 16);
    return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
  }
  let full = '';
  for (let i = 0; i < 32; i += 8) {
    const w = hex.slice(i, i + 8);
    full += w.slice(6, 8) + w.slice(4, 6) + w.slice(2, 4) + w.slice(0, 2);
  }
  full = full.toLowerCase();
  if (/^0{32}$/.test(full)) return '::';
  if (full.startsWith('00000000000000000000ffff')) {
    const v4 = full.slice(24);
    return [0, 2, 4, 6].map((i) => parseInt(v4.slice(i, i + 2), 16)).join('.');
  }
  return full.match(/.{4}/g).map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}
function normalizeAddress(address) {
  if (!address.includes(':')) return address;
  if (address === '::') return '::';
  const [head, tail] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':');
}
/** Listening sockets of /proc/net/tcp{,6}; with a port, only lines naming it are parsed. */
function readListeners(port) {
  const out = [];
  // Lines that name the port at all (as local or remote address) are the only ones parsed.
  const hex = port === undefined ? undefined : ':' + port.toString(16).toUpperCase().padStart(4, '0') + ' ';
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = readText(file);
    if (!text) continue;
    for (const line of text.split('\n').slice(1)) {
      if (hex !== undefined && !line.includes(hex)) continue;
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue;
      const [addr, hexPort] = f[1].split(':');
      const at = parseInt(hexPort, 16);
      if (port !== undefined && at !== port) continue;
      out.push({ port: at, address: hexToAddress(addr), uid: Number(f[7]), inode: f[9] });
    }
  }
  return out;
}
function listenersOn(port) { return readListeners(port); }
function listeningSockets() { return readListeners(undefined); }
/** inode → pid, for the sockets among inodes that one of pids has open. */
function socketHolders(inodes, pids) {
  const wanted = new Set(inodes.map((i) => 'socket:[' + i + ']'));
  const found = new Map();
  for (const pid of pids) {
    let fds;
    try { fds = fs.readdirSync('/proc/' + pid + '/fd'); } catch { continue; }
    for (const fd of fds) {
      let link;
      try { link = fs.readlinkSync('/proc/' + pid + '/fd/' + fd); } catch { continue; }
      if (wanted.has(link) && !found.has(link.slice(8, -1))) found.set(link.slice(8, -1), pid);
    }
  }
  return found;
}
/**
 * Who holds the listening socket that a connection to address:port would reach (a specific
 * address wins over a wildcard, as in the kernel's lookup): 'ours' when a process of the roots'
 * tree holds it, 'foreign' when another does, 'free' when nothing listens there.
 */
function portOwner(port, address, roots, listeners) {
  let sockets = listeners || listenersOn(port);
  const literal = address && (/^[\d.]+$/.test(address) || address.includes(':'));
  if (literal && !WILDCARD_ADDRESSES.has(address)) {
    const want = normalizeAddress(address);
    const exact = sockets.filter((s) => s.address === want);
    sockets = exact.length > 0 ? exact : sockets.filter((s) => WILDCARD_ADDRESSES.has(s.address));
  }
  if (sockets.length === 0) return { state: 'free' };
  const inodes = sockets.map((s) => s.inode);
  // The tree's first pid (the last live root) holding every socket is what the whole tree would
  // answer: it is searched first.
  const first = roots.filter((pid) => pid && isAlive(pid)).pop();
  if (first && socketHolders(inodes, [first]).size === inodes.length) return { state: 'ours', pid: first };
  const tree = processTree(roots);
  const ours = socketHolders(inodes, tree);
  const foreign = inodes.filter((i) => !ours.has(i));
  if (foreign.length === 0) return { state: 'ours', pid: ours.values().next().value };
  const holders = socketHolders(foreign, allPids().filter((pid) => !tree.has(pid)));
  const inode = foreign.find((i) => holders.has(i)) || foreign[0];
  const pid = holders.get(inode);
  const uid = sockets.find((s) => s.inode === inode).uid;
  if (!pid) return { state: 'foreign', uid };
  const stat = procStat(pid);
  const server = environOf(pid).find((e) => e.startsWith('MCP_GITOPS_SERVER='));
  return { state: 'foreign', pid, uid, comm: stat ? stat.comm : undefined, server: server ? server.slice(18) : undefined };
}
function describeOwner(port, owner) {
  if (!owner.pid) return 'port ' + port + ' is in use by another process (of uid ' + owner.uid + ', not visible to this user)';
  const who = 'pid ' + owner.pid + (owner.comm ? ', ' + owner.comm : '') + (owner.server ? ': mcp-gitops server ' + owner.server : '');
  return 'port ' + port + ' is in use by another process (' + who + ')';
}
`;
