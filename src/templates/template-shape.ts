/**
 * A linear pre-scan of a template, before Handlebars parses it: its parser takes time that grows
 * much faster than the input with nesting (8,000 nested `{{#if}}` blocks in 128 KB took 48 s), so
 * a template from a pull request could hang `validate` and every hook that runs it. Real templates
 * have a handful of mustaches and nest a block or two; the limits are far above that.
 */
export const MAX_MUSTACHES = 1000;
export const MAX_NESTING = 16;

/** Why the template is refused before parsing, or undefined when its shape is fine. */
export function templateShapeProblem(template: string): string | undefined {
  let mustaches = 0;
  let blocks = 0;
  for (let at = template.indexOf('{{'); at !== -1; at = template.indexOf('{{', at + 2)) {
    if (++mustaches > MAX_MUSTACHES)
      return `more than ${MAX_MUSTACHES} mustaches in one value (refused before parsing)`;
    let i = at + 2;
    while (template[i] === '{' || template[i] === '~' || template[i] === ' ') i++;
    if (template[i] === '#' && ++blocks > MAX_NESTING)
      return `blocks nested deeper than ${MAX_NESTING} (refused before parsing: deep nesting makes parsing slow)`;
    if (template[i] === '/') blocks--;
    const end = template.indexOf('}}', i);
    let parens = 0;
    for (let j = i; j < (end === -1 ? template.length : end); j++) {
      if (template[j] === '(' && ++parens > MAX_NESTING)
        return `sub-expressions nested deeper than ${MAX_NESTING} (refused before parsing)`;
      if (template[j] === ')') parens--;
    }
  }
  return undefined;
}
