/**
 * `reports/<env>/README.md` and `reports/README.md`: the JSON reports for people, rendered from
 * the Handlebars templates in `templates/`. Redacted like every output; no timestamps.
 */
import type { TargetReport } from '../core/report.js';
import { redactor } from '../log/redact.js';
import { reportTemplate } from './load-template.js';
import { environmentView } from './report-view.js';

export function renderEnvironmentReadme(env: string, reports: readonly TargetReport[]): string {
  return finish(reportTemplate('environment-report.md.hbs')(environmentView(env, reports)));
}

export function renderReportsIndex(reports: readonly TargetReport[]): string {
  const names = [...new Set(reports.map((r) => r.environment))].sort();
  const environments = names.map((env) =>
    environmentView(
      env,
      reports.filter((r) => r.environment === env),
    ),
  );
  return finish(reportTemplate('reports-index.md.hbs')({ environments }));
}

function finish(text: string): string {
  return redactor.redact(`${text.replace(/\n{3,}/g, '\n\n').trimEnd()}\n`);
}
