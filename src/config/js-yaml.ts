/**
 * js-yaml, loaded as its CommonJS build on purpose. Its ES module build (what `import` resolves
 * to) is the same parser in newer syntax and parses ~30% slower in a fresh process: on the
 * 1,000-server benchmark repo ~100 ms more (bench/validate.ts). Everything that parses YAML on the
 * `validate` path takes js-yaml from here.
 *
 * Long texts are parsed by a second copy of the module (`jsYamlFor`). js-yaml builds a whole
 * file's event list before constructing it, so the events of a long file (an environment listing
 * 10,000 servers, ~600 KB) outlive several young-generation collections, and V8's allocation-site
 * pretenuring then allocates every later event of the same code straight into old space: each of
 * the 10,000 one-server files parsed after it (and parsed again for a warning's position) left its
 * events there as garbage, ~25 MiB of a 10,000-server plan's peak. A copy has its own allocation
 * sites, so what it learns from long files does not touch short ones. Same code, same results.
 */
import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';

const require = createRequire(import.meta.url);

let shared: typeof JsYaml | undefined;

/** The shared copy, loaded on first use: a run whose config comes from the cache parses no YAML. */
export function jsYaml(): typeof JsYaml {
  shared ??= require('js-yaml') as typeof JsYaml;
  return shared;
}

/** Texts this long go to the second copy: the longest one-server file is a few Ki characters. */
export const LONG_YAML_CHARS = 64 * 1024;

let forLongTexts: typeof JsYaml | undefined;

/** The copy of js-yaml to parse `text` with (see above): the shared one unless the text is long. */
export function jsYamlFor(text: string): typeof JsYaml {
  if (text.length < LONG_YAML_CHARS) return jsYaml();
  if (!forLongTexts) {
    jsYaml();
    // A second evaluation of the module: taken out of require's cache only while it is loaded.
    const id = require.resolve('js-yaml');
    const cached = require.cache[id];
    delete require.cache[id];
    try {
      forLongTexts = require('js-yaml') as typeof JsYaml;
    } finally {
      require.cache[id] = cached;
    }
  }
  return forLongTexts;
}
