/**
 * The Markdown report templates shipped in the product's `templates/` folder, run by an isolated
 * Handlebars instance (no HTML escaping: the output is Markdown; strict: a misspelt field is an
 * error, not an empty cell; prototype properties and methods refused).
 *
 * The built CLI has them precompiled (precompiled-templates.ts) and needs only
 * `handlebars/runtime`; run from the sources it compiles the template files, found by walking up
 * from this module, with the full `handlebars` package. Both give the same bytes
 * (test/report/precompiled-templates.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { McpGitopsError } from '../core/errors.js';
import { loadHandlebars } from '../templates/create-engine.js';
import { precompiledTemplates } from './precompiled-templates.js';

export type TemplateName = 'environment-report.md.hbs' | 'reports-index.md.hbs';

/** Also what scripts/precompile-report-templates.mjs compiles the specs with (checked by a test). */
export const REPORT_COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
};

export type ReportTemplate = (view: object) => string;

/** Created on the first report rendered: `plan` imports this module and never renders one. */
let runtime: typeof Handlebars | undefined;
let compiler: typeof Handlebars | undefined;
const loaded = new Map<TemplateName, ReportTemplate>();

export function reportTemplate(name: TemplateName): ReportTemplate {
  let template = loaded.get(name);
  if (!template) {
    const spec = precompiledTemplates?.[name];
    template = createReportTemplate(spec ? { spec } : { source: readFileSync(findTemplate(name), 'utf8') });
    loaded.set(name, template);
  }
  return template;
}

/** A report template from its precompiled spec (the built CLI) or from its source text. */
export function createReportTemplate(
  from: { spec: TemplateSpecification } | { source: string },
): ReportTemplate {
  let run: HandlebarsTemplateDelegate;
  if ('spec' in from) {
    runtime ??= (createRequire(import.meta.url)('handlebars/runtime') as typeof Handlebars).create();
    run = runtime.template(from.spec);
  } else {
    compiler ??= loadHandlebars().create();
    run = compiler.compile(from.source, REPORT_COMPILE_OPTIONS);
  }
  return (view) => run(view, RUNTIME_OPTIONS);
}

function findTemplate(name: TemplateName): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'templates', name);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new McpGitopsError('ERR_IO', `report template ${name} not found in the installed package`, {
    hint: 'reinstall mcp-gitops; its templates/ folder is missing',
  });
}
