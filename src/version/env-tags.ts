/**
 * Environment tags: `<prefix><MAJOR.MINOR.PATCH>`, e.g. `dev/v1.4.0` for the default prefix
 * template `{{environment.name}}/v` of the Repository settings.
 */
import type Handlebars from 'handlebars';
import semver from 'semver';
import { loadHandlebars } from '../templates/create-engine.js';

/** Created on the first prefix rendered: a reconcile that changes nothing tags nothing. */
let templates: typeof Handlebars | undefined;

/** The tag prefix of one environment, from the repository's prefix template. */
export function envTagPrefix(template: string, env: string): string {
  templates ??= loadHandlebars().create();
  const render = templates.compile(template, { noEscape: true, strict: true });
  return render({ environment: { name: env } }, { allowProtoPropertiesByDefault: false });
}

export function envTagName(prefix: string, version: string): string {
  return `${prefix}${version}`;
}

/** The highest release version among tags with that prefix (pre-releases and other tags ignored). */
export function parseEnvTags(tags: readonly string[], prefix: string): string | undefined {
  const versions = tags
    .filter((t) => t.startsWith(prefix))
    .map((t) => semver.valid(t.slice(prefix.length)))
    .filter((v): v is string => v !== null && semver.prerelease(v) === null);
  return semver.rsort(versions)[0];
}
