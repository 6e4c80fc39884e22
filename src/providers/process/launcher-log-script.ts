/**
 * The launcher's log writer (a CommonJS source fragment; expects `fs` in scope): everything the
 * server writes to stdout and stderr, and the launcher's own lines, go to the server's log, which
 * is rotated by size before a write would take it past `maxBytes` (`log` → `log.1` → … →
 * `log.<keep>`, the oldest dropped). So the log never grows past `maxBytes` while the server
 * writes, and at most `keep` older files stay next to it. `maxBytes` 0 means no rotation.
 */
export const LAUNCHER_LOG_SCRIPT = `
const LAUNCHER_TAG = '[mcp-gitops launcher] ';
function openLog(file, maxBytes, keep) {
  let fd = fs.openSync(file, 'a', 0o600);
  let size = fs.fstatSync(fd).size;
  function rotate() {
    fs.closeSync(fd);
    for (let i = keep; i >= 1; i--) {
      try { fs.renameSync(i === 1 ? file : file + '.' + (i - 1), file + '.' + i); } catch {}
    }
    fd = fs.openSync(file, keep > 0 ? 'a' : 'w', 0o600);
    size = 0;
  }
  return {
    write(chunk) {
      try { writeChunk(chunk); } catch {} // a full disk must not take the supervisor down
    },
  };
  function writeChunk(chunk) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (maxBytes > 0) {
      if (buf.length > maxBytes) buf = buf.subarray(buf.length - maxBytes);
      if (size + buf.length > maxBytes) rotate();
    }
    let off = 0;
    while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
    size += buf.length;
  }
}
`;
