/**
 * The flood of bench/webhook-flood.ts from a process of its own, so the bench's /healthz probes
 * are not slowed by the sending: `node --import tsx bench/flood-client.ts URL COUNT BYTES`; prints
 * the answers as JSON.
 */
import { flood } from '../test/serve/webhook-flood.js';

const [url = '', count = '500', bytes = String(1024 * 1024)] = process.argv.slice(2);
process.stdout.write('flooding\n');
const result = await flood(url, { count: Number(count), bytes: Number(bytes) });
process.stdout.write(
  `${JSON.stringify({ answers: Object.fromEntries(result.answers), accepted: result.accepted })}\n`,
);
