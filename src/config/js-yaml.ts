/**
 * js-yaml, loaded as its CommonJS build on purpose. Its ES module build (what `import` resolves
 * to) is the same parser in newer syntax and parses ~30% slower in a fresh process: on the
 * 1,000-server benchmark repo ~100 ms more (bench/validate.ts). Everything that parses YAML on the
 * `validate` path takes js-yaml from here.
 */
import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';

export const jsYaml = createRequire(import.meta.url)('js-yaml') as typeof JsYaml;
