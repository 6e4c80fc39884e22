/**
 * Entry point. The one top-level catch: McpGitopsError → its message and hint, exit 1;
 * anything else is a bug → "please report" with the stack.
 */
import { CommanderError } from 'commander';
import { isMcpGitopsError } from '../core/errors.js';
import { redactor } from '../log/redact.js';
import { EXIT_ERROR } from './exit-codes.js';
import { buildProgram } from './program.js';

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? 0 : EXIT_ERROR;
    }
    if (isMcpGitopsError(err)) {
      for (const line of err.details ?? []) process.stderr.write(`${redactor.redact(line)}\n`);
      process.stderr.write(`mcp-gitops: ${redactor.redact(err.message)} [${err.code}]\n`);
      if (err.hint) process.stderr.write(`hint: ${redactor.redact(err.hint)}\n`);
      return EXIT_ERROR;
    }
    const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(
      `mcp-gitops: internal error, please report it with this output:\n${redactor.redact(stack)}\n`,
    );
    return EXIT_ERROR;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`mcp-gitops: fatal: ${String(err)}\n`);
    process.exitCode = EXIT_ERROR;
  },
);
