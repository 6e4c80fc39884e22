/**
 * Builds planner input from a compact fixture (`test/fixtures/plan/<case>/case.json`), with a
 * small client-style renderer standing in for a provider's pure `render` (unit tests of pure
 * logic only). Observed servers are written as `"same"` (as last applied, in sync), or an object
 * whose omitted `spec` / `actual` default to the desired spec and its rendering.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerSpec } from '../../src/core/resources.js';
import type {
  DesiredEnvironment,
  DesiredServer,
  DesiredState,
  DesiredTarget,
  ObservedServer,
  ObservedTarget,
  ResolvedSync,
} from '../../src/core/state.js';
import type { BuildPlanInput, Renderer } from '../../src/plan/build-plan.js';
import { canonicalJson } from '../../src/plan/canonical.js';

type ObservedFixture = 'same' | { spec?: ServerSpec; specHash?: string; actual?: Record<string, unknown> };

interface TargetFixture {
  name: string;
  provider?: string;
  host?: string;
  servers: Record<string, ServerSpec>;
  observed: Record<string, ObservedFixture> | { unreachable: string };
}

interface CaseFixture {
  revision?: string;
  environments: {
    name: string;
    sync?: Partial<ResolvedSync>;
    targets: TargetFixture[];
    /** Fleet targets (host: fleet): resolved, never observed. */
    fleet?: { name: string; servers: Record<string, ServerSpec> }[];
  }[];
}

export function specHash(spec: ServerSpec): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex').slice(0, 16);
}

export function desiredServer(name: string, spec: ServerSpec): DesiredServer {
  return { name, spec, specHash: specHash(spec) };
}

/** What a client config entry for the server looks like (the fake provider's `render`). */
export function renderEntry(spec: ServerSpec): Record<string, unknown> {
  if (spec.remote) return { entry: { type: 'http', url: spec.remote.url } };
  const env: Record<string, string> = { ...spec.env };
  for (const s of spec.secrets ?? []) env[s.name] = `\${${s.name}}`;
  const args = spec.package
    ? ['-y', `${spec.package.identifier}@${spec.package.version}`, ...(spec.package.packageArguments ?? [])]
    : (spec.command?.args ?? []);
  return { entry: { command: spec.package ? 'npx' : spec.command?.path, args, env } };
}

export const fakeRenderer: Renderer = { render: (server) => renderEntry(server.spec) };

export function loadCase(file: string): BuildPlanInput {
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as CaseFixture;
  const observed: ObservedTarget[] = [];
  const environments: DesiredEnvironment[] = fixture.environments.map((env) => {
    const sync: ResolvedSync = {
      drift: 'correct',
      prune: false,
      maxDeletions: 3,
      suspend: false,
      ...env.sync,
    };
    const targets = env.targets.map((t): DesiredTarget => {
      const provider = t.provider ?? 'fake';
      const servers = Object.entries(t.servers).map(([name, spec]) => desiredServer(name, spec));
      observed.push(observeTarget(env.name, t, servers));
      return {
        environment: env.name,
        name: t.name,
        provider,
        host: t.host ?? 'local',
        settings: { name: t.name, provider },
        servers,
      };
    });
    const fleet = (env.fleet ?? []).map(
      (t): DesiredTarget => ({
        environment: env.name,
        name: t.name,
        provider: 'client-config',
        host: 'fleet',
        settings: { name: t.name, provider: 'client-config', host: 'fleet' },
        servers: Object.entries(t.servers).map(([name, spec]) => desiredServer(name, spec)),
      }),
    );
    return { name: env.name, vars: {}, sync, targets, fleet, hooks: [] };
  });
  const desired: DesiredState = {
    environments,
    repository: {
      name: 'fixture',
      branch: 'main',
      reportsDir: 'reports',
      tagPrefix: '{{environment.name}}/v',
      author: { name: 'mcp-gitops', email: 'mcp-gitops@localhost' },
    },
  };
  return { desired, observed, renderers: new Map([['fake', fakeRenderer]]), revision: fixture.revision };
}

function observeTarget(environment: string, t: TargetFixture, desired: DesiredServer[]): ObservedTarget {
  if ('unreachable' in t.observed && typeof t.observed.unreachable === 'string') {
    return { environment, target: t.name, reachable: false, reason: t.observed.unreachable, servers: [] };
  }
  const servers = Object.entries(t.observed as Record<string, ObservedFixture>).map(
    ([name, o]): ObservedServer => {
      const fromRepo = desired.find((d) => d.name === name)?.spec;
      const spec = o === 'same' ? fromRepo : (o.spec ?? fromRepo);
      if (!spec) throw new Error(`fixture: observed server ${name} needs a spec`);
      const actual = o !== 'same' && o.actual ? o.actual : renderEntry(spec);
      const hash = o !== 'same' && o.specHash ? o.specHash : specHash(spec);
      return { name, spec, specHash: hash, actual };
    },
  );
  return { environment, target: t.name, reachable: true, servers };
}
