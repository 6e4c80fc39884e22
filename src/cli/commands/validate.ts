/**
 * `mcp-gitops validate [--staged] [--rev REV] [--format text|json|github]`: diagnostics on stdout,
 * a summary line on stderr (text format), exit 1 on errors. Reads only; writes nothing.
 */
import { type Command, Option } from 'commander';
import type { DiagnosticFormat } from '../../core/diagnostics.js';

interface ValidateFlags {
  staged?: boolean;
  rev?: string;
  format: DiagnosticFormat;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('check the config repo: YAML, schemas, references, templates and policies')
    .option(
      '--staged',
      'validate the git index (what the next commit would hold) instead of the working tree',
    )
    .option('--rev <rev>', 'validate a revision: a branch, tag or commit, optionally with ~N / ^N')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'),
    )
    .action(async (flags: ValidateFlags, cmd: Command) => {
      // Loaded on use: the other commands' startup never pays for validation's modules.
      const [{ resolveRepoOption }, { runValidation }, { formatDiagnostics, hasErrors }, { McpGitopsError }] =
        await Promise.all([
          import('../../config/find-repo-root.js'),
          import('../../validate/run-validation.js'),
          import('../../core/diagnostics.js'),
          import('../../core/errors.js'),
        ]);
      if (flags.staged && flags.rev !== undefined) {
        throw new McpGitopsError('ERR_USAGE', '--staged and --rev cannot be combined', {
          hint: 'validate either the index (--staged) or one revision (--rev REV)',
        });
      }
      // Global options read straight from commander: importing program.ts would load every command.
      const root = resolveRepoOption((cmd.optsWithGlobals() as { repo?: string }).repo);
      const source = flags.staged ? 'index' : flags.rev !== undefined ? 'revision' : 'worktree';
      const { config, diagnostics } = await runValidation({ root, source, rev: flags.rev });
      process.stdout.write(formatDiagnostics(diagnostics, flags.format));
      const failed = hasErrors(diagnostics);
      if (flags.format === 'text') {
        const errors = diagnostics.filter((d) => d.severity === 'error').length;
        const warnings = diagnostics.length - errors;
        const files = new Set(diagnostics.map((d) => d.file)).size;
        process.stderr.write(
          failed
            ? `✗ ${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''} in ${plural(files, 'file')}\n`
            : `✓ ${plural(config.documents.length, 'document')} valid${warnings ? ` (${plural(warnings, 'warning')})` : ''}\n`,
        );
      }
      process.exitCode = failed ? 1 : 0;
    });
}
