/**
 * The Markdown report templates shipped in the product's `templates/` folder, compiled with an
 * isolated Handlebars instance (no HTML escaping: the output is Markdown; strict: a misspelt
 * field is an error, not an empty cell). Found by walking up from this module, so it works from
 * `src/` under tsx and from `dist/` after a build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { McpGitopsError } from '../core/errors.js';
import { loadHandlebars } from '../templates/create-engine.js';

export type TemplateName = 'environment-report.md.hbs' | 'reports-index.md.hbs';

/** Created on the first report rendered: `plan` imports this module and never renders one. */
let handlebars: typeof Handlebars | undefined;
const compiled = new Map<TemplateName, HandlebarsTemplateDelegate>();

export function reportTemplate(name: TemplateName): (view: object) => string {
  let template = compiled.get(name);
  if (!template) {
    handlebars ??= loadHandlebars().create();
    template = handlebars.compile(readFileSync(findTemplate(name), 'utf8'), { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  const run = template;
  return (view) => run(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
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
