/**
 * Entry point of the sandboxed planner child (`mcp-gitops __plan-pull-request`): a JSON
 * `WorkerInput` on stdin, a JSON `WorkerOutput` on stdout, exit 0; on an error, its message on
 * stderr and exit 1. It never reads a credential: serve starts it with an empty environment.
 */
import { isMcpGitopsError } from '../core/errors.js';
import { redactor } from '../log/redact.js';
import { runWorker } from './worker.js';
import type { WorkerInput } from './worker-protocol.js';

export async function workerMain(): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  try {
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WorkerInput;
    const output = await runWorker(input);
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(JSON.stringify(output), (err) => (err ? reject(err) : resolve())),
    );
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = isMcpGitopsError(err) && err.hint ? ` (${err.hint})` : '';
    process.stderr.write(`${redactor.redact(message + hint).slice(0, 2000)}\n`);
    return 1;
  }
}
