/**
 * Template checks for `validate` (DESIGN.md §2 "Templates", §8 "hostile templates"): every
 * templated string of Servers (and environments' overrides of them) and of target settings must
 * parse, use only the allowed helpers and constructs, and use only variables that are defined in
 * every environment (and on every target) where it is rendered.
 */
import type { ConfigSet, LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type {
  EnvironmentResource,
  EnvironmentServer,
  ServerResource,
  ServerSpec,
  TargetSpec,
} from '../core/resources.js';
import { mergedServerSpec } from '../resolve/resolve-environment-server.js';
import type { SupportsFn } from '../resolve/select-targets.js';
import { analyzeTemplate, isTemplate } from '../templates/analyze-template.js';
import { checkVariableIn, checkVariableShape, type VariableScope } from '../templates/check-variable.js';
import { type FieldPath, templateFields } from '../templates/template-fields.js';

const RULE = 'template';

interface Placement {
  environment: EnvironmentResource;
  entry: EnvironmentServer;
  targets: TargetSpec[];
  /** The server spec with this entry's overrides merged (merged on first read). */
  readonly spec: ServerSpec;
}

export function checkTemplates(config: ConfigSet, options: { supports?: SupportsFn } = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const report = (doc: LoadedDocument, path: FieldPath, message: string) => {
    const at = doc.locate(path);
    const key = `${at.file}:${at.line}:${at.col}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ file: at.file, line: at.line, col: at.col, severity: 'error', message, rule: RULE });
  };

  const deployed = entriesByServer(config);

  for (const doc of config.servers) {
    const server = doc.value;
    if (!server?.spec) continue;
    // A server's placements are made when one of its fields needs them and dropped with the
    // server: held for every server at once (10,000 at scale) they outlived young-generation
    // collections and stayed in old space as garbage for the rest of a plan (issue 16).
    let placements: Placement[] | undefined;
    for (const { path, text } of templateFields(server.spec, 'server')) {
      const where = ['spec', ...path];
      const variables = analyze(text, (message) => report(doc, where, message), 'server');
      if (!variables) continue;
      placements ??= (deployed.get(server.metadata.name) ?? []).map((d) =>
        placementOf(d.environment, d.entry, d.server, options.supports),
      );
      for (const place of placements) {
        if (overriddenAt(place.entry.overrides, path)) continue;
        for (const message of checkPlacement(variables, server, place)) report(doc, where, message);
      }
    }
  }

  const servers = new Map(config.servers.map((s) => [s.value?.metadata?.name, s.value]));
  for (const doc of config.environments) {
    const env = doc.value;
    if (!env?.spec) continue;
    const scopeEnv = { name: env.metadata.name, vars: env.spec.vars ?? {} };
    (env.spec.targets ?? []).forEach((target, t) => {
      for (const { path, text } of templateFields(target, 'target')) {
        const where = ['spec', 'targets', t, ...path];
        const variables = analyze(text, (message) => report(doc, where, message), 'target');
        for (const variable of variables ?? []) {
          const problem = checkVariableIn(variable, { kind: 'target', environment: scopeEnv });
          if (problem) report(doc, where, problem);
        }
      }
    });
    (env.spec.servers ?? []).forEach((entry, i) => {
      if (entry.overrides === undefined) return;
      const server = servers.get(entry.name);
      const place = server ? placementOf(env, entry, server, options.supports) : undefined;
      for (const { path, text } of templateFields(entry.overrides, 'server')) {
        const where = ['spec', 'servers', i, 'overrides', ...path];
        const variables = analyze(text, (message) => report(doc, where, message), 'server');
        if (variables && server && place) {
          for (const message of checkPlacement(variables, server, place)) report(doc, where, message);
        }
      }
    });
  }
  return out;
}

/** Parses one field; reports syntax errors, refused constructs and unknown roots. */
function analyze(
  text: string,
  report: (message: string) => void,
  kind: VariableScope['kind'],
): string[] | undefined {
  if (!isTemplate(text)) return undefined;
  const analysis = analyzeTemplate(text);
  if (!analysis.ok) {
    report(`template does not parse: ${analysis.error}`);
    return undefined;
  }
  for (const problem of analysis.problems) report(`template refused: ${problem}`);
  const known: string[] = [];
  for (const variable of analysis.variables) {
    const problem = checkVariableShape(variable, kind);
    if (problem) report(problem);
    else known.push(variable);
  }
  return known;
}

function checkPlacement(variables: string[], server: ServerResource, place: Placement): string[] {
  const env = place.environment;
  const environment = { name: env.metadata.name, vars: env.spec.vars ?? {} };
  const problems: string[] = [];
  for (const variable of variables) {
    const targets = variable.startsWith('target.') ? place.targets : [undefined];
    for (const target of targets) {
      const problem = checkVariableIn(variable, {
        kind: 'server',
        environment,
        target,
        // Merged only if a variable needs it (server.port / server.path).
        server: {
          name: server.metadata.name,
          get spec() {
            return place.spec;
          },
        },
      });
      if (problem) problems.push(problem);
    }
  }
  return problems;
}

function placementOf(
  env: EnvironmentResource,
  entry: EnvironmentServer,
  server: ServerResource,
  supports: SupportsFn | undefined,
): Placement {
  const all = env.spec.targets ?? [];
  let merged: ServerSpec | undefined;
  const spec = () => {
    merged ??= mergedServerSpec(server, entry);
    return merged;
  };
  let targets: TargetSpec[];
  if (entry.targets) targets = all.filter((t) => entry.targets!.includes(t.name));
  else if (supports) targets = all.filter((t) => supports(spec(), t));
  else targets = all;
  return {
    environment: env,
    entry,
    targets,
    get spec() {
      return spec();
    },
  };
}

interface Deployment {
  environment: EnvironmentResource;
  entry: EnvironmentServer;
  server: ServerResource;
}

/** For each server name, every environment entry that deploys it (in order), with the server it names. */
function entriesByServer(config: ConfigSet): Map<string, Deployment[]> {
  const servers = new Map(config.servers.map((s) => [s.value?.metadata?.name, s.value]));
  const out = new Map<string, Deployment[]>();
  for (const doc of config.environments) {
    const env = doc.value;
    for (const entry of env?.spec?.servers ?? []) {
      const server = servers.get(entry.name);
      if (!server) continue;
      const list = out.get(entry.name) ?? [];
      list.push({ environment: env, entry, server });
      out.set(entry.name, list);
    }
  }
  return out;
}

/** True when an environment's overrides replace or delete the field at `path` (so it is not rendered there). */
function overriddenAt(overrides: unknown, path: readonly FieldPath[number][]): boolean {
  let current: unknown = overrides;
  for (const segment of path) {
    if (current === undefined || current === null || typeof current !== 'object' || Array.isArray(current))
      return false;
    if (!Object.hasOwn(current, segment)) return false;
    current = (current as Record<string, unknown>)[String(segment)];
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return true;
  }
  return true;
}
