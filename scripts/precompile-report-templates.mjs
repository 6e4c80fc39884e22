/**
 * The product's Markdown report templates (templates/*.md.hbs) precompiled to Handlebars template
 * specs, as one ES module: `export const precompiledTemplates = { "<name>": <spec>, ... }`.
 *
 * Why: the templates are fixed files shipped with the product, yet every `reconcile` loaded the
 * full handlebars package (its compiler and source-map, ~19 ms) and compiled both (~25 ms).
 * scripts/build.mjs puts this module into dist/ in place of src/report/precompiled-templates.ts,
 * so the built CLI renders reports with `handlebars/runtime` alone (src/report/load-template.ts).
 * test/report/precompiled-templates.test.ts renders through the same module, made by this same
 * function, and checks it against the templates compiled from source.
 *
 * Plain JavaScript, not TypeScript: the build runs on Node without tsx.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Every template in the product's templates/ folder (src/report/load-template.ts's TemplateName). */
export const REPORT_TEMPLATES = ['environment-report.md.hbs', 'reports-index.md.hbs'];

/**
 * The compile options of src/report/load-template.ts: no HTML escaping (the output is Markdown),
 * strict (a missing field is an error, not an empty cell). Both are compiled into the spec.
 */
export const REPORT_COMPILE_OPTIONS = { noEscape: true, strict: true };

/** The module's source text, from the templates in `<root>/templates`. */
export function precompiledTemplatesModule(root) {
  const handlebars = createRequire(import.meta.url)('handlebars');
  const entries = REPORT_TEMPLATES.map((name) => {
    const source = readFileSync(join(root, 'templates', name), 'utf8');
    // A copy: precompile, unlike compile, fills in the options object it is given.
    const spec = handlebars.precompile(source, { ...REPORT_COMPILE_OPTIONS });
    return `  ${JSON.stringify(name)}: ${spec},\n`;
  });
  return `export const precompiledTemplates = {\n${entries.join('')}};\n`;
}
