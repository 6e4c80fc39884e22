/**
 * Renders one template string with a TemplateContext. The template is checked statically first
 * (the same analysis `validate` runs), so a hostile template is refused even if validation was
 * skipped; strict mode then catches any variable that is missing at render time.
 */
import { McpGitopsError } from '../core/errors.js';
import { analyzeTemplate, isTemplate } from './analyze-template.js';
import { compileTemplate, RUNTIME_OPTIONS } from './create-engine.js';
import { renderSimpleTemplate } from './simple-template.js';
import { type TemplateContext, toTemplateData } from './template-context.js';

export { isTemplate };

/** Prototype-less copy of a context, for rendering many templates with the same data. */
export function prepareContext(context: TemplateContext): unknown {
  return toTemplateData(context);
}

export function renderTemplate(template: string, context: TemplateContext): string {
  return renderPrepared(template, prepareContext(context));
}

/** Renders with a context already made by `prepareContext`. */
export function renderPrepared(template: string, data: unknown): string {
  if (!isTemplate(template)) return template;
  const analysis = analyzeTemplate(template);
  if (!analysis.ok) {
    throw new McpGitopsError('ERR_INVALID_CONFIG', `template does not parse: ${analysis.error}`, {
      hint: 'run `mcp-gitops validate` to see where',
    });
  }
  if (analysis.problems.length > 0) {
    throw new McpGitopsError('ERR_INVALID_CONFIG', `template refused: ${analysis.problems.join('; ')}`, {
      hint: 'templates may use vars.*, environment.name, target.*, server.name|port|path and the json, if, unless helpers',
    });
  }
  try {
    if (analysis.simple) return renderSimpleTemplate(analysis.simple, data);
    return compileTemplate(template)(data, RUNTIME_OPTIONS);
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const missing = /^"(.*)" not defined in /.exec(raw);
    const message = missing ? `"${missing[1]}" is not defined` : raw;
    throw new McpGitopsError('ERR_INVALID_CONFIG', `template cannot be rendered: ${message}`, {
      hint: 'define the variable (environment vars, target settings) or remove it from the template',
      cause: err,
    });
  }
}
