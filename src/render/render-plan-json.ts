/**
 * The plan as data, for `plan --out FILE` and `apply --plan FILE`: the Plan object with keys
 * sorted, so the same plan always gives the same bytes. Secret values never appear (plans hold
 * references), and the text still passes through the redactor.
 */

import { stableJson } from '../core/canonical-json.js';
import type { Plan } from '../core/plan.js';
import { redactor } from '../log/redact.js';

export function renderPlanJson(plan: Plan): string {
  return redactor.redact(stableJson(plan));
}
