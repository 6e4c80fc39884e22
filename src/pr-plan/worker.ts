/**
 * The sandboxed side of a pull request's plan (run by `plan-worker-main.ts` in a child process
 * with no credentials): read the pull request's head from the scratch repository (bounded reads),
 * validate it, resolve it, plan it against the base's observation, render the comment. Everything
 * here is pure computation on untrusted input; the parent bounds its time and memory.
 */
import { hasErrors } from '../core/diagnostics.js';
import { redactor } from '../log/redact.js';
import { getProvider, hasProvider } from '../providers/registry.js';
import { resolveDesiredState } from '../resolve/resolve-desired-state.js';
import { runValidation } from '../validate/run-validation.js';
import { planAgainstBase } from './plan-against-base.js';
import { prSurfaceSection } from './pr-surfaces.js';
import { invalidComment, MAX_COMMENT_CHARS, plannedComment, validatedComment } from './render-pr-comment.js';
import type { WorkerInput, WorkerOutput } from './worker-protocol.js';

export async function runWorker(input: WorkerInput): Promise<WorkerOutput> {
  const { config, diagnostics } = await runValidation({
    root: input.repoDir,
    source: 'revision',
    rev: input.head,
    maxFileBytes: input.maxFileBytes,
    maxTotalBytes: input.maxTotalBytes,
  });
  if (hasErrors(diagnostics)) return { status: 'invalid', markdown: invalidComment(input.head, diagnostics) };
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (input.mode === 'validate' || !input.base)
    return {
      status: 'validated',
      markdown: withSection(
        validatedComment(input.head, input.why ?? 'it is not trusted', warnings),
        await prSurfaceSection({ surfaces: input.surfaces, config }),
      ),
    };
  const desired = resolveDesiredState(config, {
    supports: (server, target) =>
      !hasProvider(target.provider) || getProvider(target.provider).supports(server, target),
  });
  desired.revision = input.head;
  const plan = planAgainstBase(desired, input.base, (id) => getProvider(id));
  return {
    status: 'planned',
    markdown: withSection(
      plannedComment({ plan, head: input.head, baseRevision: input.base.revision, warnings }),
      await prSurfaceSection({ surfaces: input.surfaces, plan, config }),
    ),
    summary: { ...plan.summary, deferred: plan.targets.filter((t) => t.deferred).length },
  };
}

/** The comment with the tool-surface section after it, redacted, within GitHub's limit. */
function withSection(comment: string, section: string): string {
  if (section === '') return comment;
  const room = MAX_COMMENT_CHARS - comment.length - 200;
  const text =
    section.length <= room
      ? section
      : `${section.slice(0, Math.max(0, room))}\n\n... (cut: run \`mcp-gitops plan --verify-new\` for all of it)\n`;
  return redactor.redact(`${comment.trimEnd()}\n\n${text}`);
}
