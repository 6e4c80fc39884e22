/**
 * The tag prefix of an environment: Repository `tags.prefix` (default `{{environment.name}}/v`),
 * a Handlebars template that may use only `environment.name`.
 */
import Handlebars from 'handlebars';
import { McpGitopsError } from '../core/errors.js';

export const DEFAULT_TAG_PREFIX = '{{environment.name}}/v';

const hbs = Handlebars.create();
const compiled = new Map<string, HandlebarsTemplateDelegate>();

export function renderTagPrefix(template: string | undefined, environment: string): string {
  const source = template ?? DEFAULT_TAG_PREFIX;
  let fn = compiled.get(source);
  if (!fn) {
    fn = hbs.compile(source, { noEscape: true, strict: true });
    compiled.set(source, fn);
  }
  try {
    return fn({ environment: { name: environment } });
  } catch (err) {
    throw new McpGitopsError(
      'ERR_INVALID_CONFIG',
      `tags.prefix "${source}" cannot be rendered: ${(err as Error).message}`,
      {
        hint: 'the tag prefix may use {{environment.name}} only, e.g. "{{environment.name}}/v"',
      },
    );
  }
}
