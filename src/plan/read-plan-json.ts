/** Reads a plan saved by `plan --out` (renderPlanJson) back into a Plan, for `apply --plan`. */
import { McpGitopsError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';

export function readPlanJson(text: string, file = 'plan file'): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new McpGitopsError('ERR_PLAN_FILE', `${file}: not valid JSON (${(err as Error).message})`, {
      hint: 'save a plan with `mcp-gitops plan --format json --out FILE`',
    });
  }
  const plan = data as Partial<Plan> | null;
  if (!plan || typeof plan !== 'object' || plan.formatVersion !== 1) {
    throw new McpGitopsError('ERR_PLAN_FILE', `${file}: not an mcp-gitops plan (formatVersion 1 expected)`, {
      hint: 'save a plan with `mcp-gitops plan --format json --out FILE`',
    });
  }
  if (
    !Array.isArray(plan.targets) ||
    !Array.isArray(plan.environments) ||
    !Array.isArray(plan.blocked) ||
    !plan.summary
  ) {
    throw new McpGitopsError(
      'ERR_PLAN_FILE',
      `${file}: the plan is missing targets, environments, blocked or summary`,
      {
        hint: 'the file was edited or truncated; create it again with `mcp-gitops plan --out FILE`',
      },
    );
  }
  return plan as Plan;
}
