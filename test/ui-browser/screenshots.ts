/**
 * Where the browser tests leave screenshots for a person to look at (CI keeps the folder as an
 * artifact): `test-artifacts/ui/` at the repository root, gitignored, created by the run. And the
 * check that a file is a real picture: a PNG signature and an IHDR with the expected width.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCREENSHOT_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'test-artifacts',
  'ui',
);

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
export function pngSize(file: string): { width: number; height: number; bytes: number } {
  const data = fs.readFileSync(file);
  if (
    data.length < 24 ||
    !data.subarray(0, 8).equals(SIGNATURE) ||
    data.toString('latin1', 12, 16) !== 'IHDR'
  )
    throw new Error(`${file} is not a PNG`);
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), bytes: data.length };
}
