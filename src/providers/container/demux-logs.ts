/**
 * Pure: the text of a container's log response. Without a TTY the engine multiplexes stdout and
 * stderr in frames of an 8-byte header (stream byte, 3 zero bytes, big-endian length) and the
 * payload; with a TTY it is the raw text. Anything that is not a valid frame is taken as raw text.
 */
export function demuxLogs(body: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    if (offset + 8 > body.length) return body.toString('utf8');
    const stream = body[offset];
    const zeros = body[offset + 1] === 0 && body[offset + 2] === 0 && body[offset + 3] === 0;
    if ((stream !== 0 && stream !== 1 && stream !== 2) || !zeros) return body.toString('utf8');
    const length = body.readUInt32BE(offset + 4);
    const end = offset + 8 + length;
    if (end > body.length) return body.toString('utf8');
    parts.push(body.subarray(offset + 8, end));
    offset = end;
  }
  return Buffer.concat(parts).toString('utf8');
}
