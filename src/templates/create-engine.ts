/**
 * The one Handlebars environment of mcp-gitops: isolated from the global instance, strict (a
 * missing variable is an error), no HTML escaping (values are config, not markup), only the
 * `json`, `if` and `unless` helpers, no partials, and prototype access refused.
 */
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';

export type TemplateDelegate = Handlebars.TemplateDelegate;

/**
 * Renders a value as a JSON scalar literal. A JSON string literal is also a valid YAML
 * double-quoted scalar, so a value containing a newline or a quote cannot inject keys.
 */
export function jsonHelper(value: unknown): string {
  if (value === undefined) throw new Error('json: the value is not defined');
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value === null
  ) {
    return JSON.stringify(value);
  }
  return JSON.stringify(JSON.stringify(value));
}

/**
 * Handlebars itself, loaded on first use: most templates are plain `{{path}}` and render without
 * it (simple-template.ts), so `validate` usually never pays for loading the compiler.
 */
export function loadHandlebars(): typeof Handlebars {
  return createRequire(import.meta.url)('handlebars') as typeof Handlebars;
}

function createEngine(): typeof Handlebars {
  const engine = loadHandlebars().create();
  for (const name of ['each', 'with', 'lookup', 'log', 'helperMissing', 'blockHelperMissing']) {
    engine.unregisterHelper(name);
  }
  engine.registerHelper('json', (value: unknown) => jsonHelper(value));
  return engine;
}

let engine: typeof Handlebars | undefined;

export const COMPILE_OPTIONS: CompileOptions = {
  strict: true,
  noEscape: true,
  knownHelpersOnly: true,
  knownHelpers: {
    json: true,
    if: true,
    unless: true,
    each: false,
    with: false,
    lookup: false,
    log: false,
    helperMissing: false,
    blockHelperMissing: false,
  },
};

export const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  partials: {},
};

const compiled = new Map<string, TemplateDelegate>();
const CACHE_LIMIT = 10_000;

/** Compiles once per distinct template text. */
export function compileTemplate(template: string): TemplateDelegate {
  let fn = compiled.get(template);
  if (!fn) {
    engine ??= createEngine();
    fn = engine.compile(template, COMPILE_OPTIONS);
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(template, fn);
  }
  return fn;
}
