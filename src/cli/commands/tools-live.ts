/**
 * The live side of `tools lock` and `tools show`: the working tree's config (what the user is about
 * to commit), resolved; one instance per server version to speak to; and the same verification a
 * reconcile does (the target's provider gives the endpoint, `verifyServer` speaks MCP to it).
 *
 * Which instance: for each server and version, the first target that runs it, environments and
 * targets in the order the repo lists them. Errors in lock files do not block: re-locking is how
 * a stale or hand-edited lock is repaired.
 */

import type { ConfigSet } from '../../core/config-set.js';
import { formatDiagnostic, sortDiagnostics } from '../../core/diagnostics.js';
import { McpGitopsError } from '../../core/errors.js';
import type { DesiredServer, DesiredState } from '../../core/state.js';
import { createEngineDeps } from '../../engine/default-deps.js';
import { closeSessions, openSession, sessionKey, type TargetSession } from '../../engine/target-session.js';
import type { EngineDeps } from '../../engine/types.js';
import { redactor } from '../../log/redact.js';
import { getProvider, hasProvider } from '../../providers/registry.js';
import { resolveDesiredState } from '../../resolve/resolve-desired-state.js';
import { LOCK_DIR, lockVersion } from '../../surface/lock/index.js';
import { runValidation } from '../../validate/run-validation.js';
import type { VerifyResult } from '../../verify/verify-server.js';

export interface Instance {
  environment: string;
  target: string;
  server: DesiredServer;
  /** The version its lock is filed under (lockVersion of the resolved spec). */
  version: string;
}

export interface LoadedTools {
  root: string;
  config: ConfigSet;
  desired: DesiredState;
}

/** The working tree's config, validated (lock files aside) and resolved for `environment`. */
export async function loadForTools(root: string, environment: string | undefined): Promise<LoadedTools> {
  const { config, diagnostics } = await runValidation({ root, source: 'worktree' });
  const blocking = sortDiagnostics(diagnostics).filter(
    (d) => d.severity === 'error' && !d.file.startsWith(`${LOCK_DIR}/`),
  );
  if (blocking.length > 0) {
    throw new McpGitopsError(
      'ERR_INVALID_CONFIG',
      `the config in ${root} is invalid (${blocking.length} errors)`,
      {
        details: blocking.map(formatDiagnostic),
        hint: 'fix the errors above (mcp-gitops validate) and run again',
      },
    );
  }
  const desired = resolveDesiredState(config, {
    environment,
    supports: (server, target) =>
      !hasProvider(target.provider) || getProvider(target.provider).supports(server, target),
  });
  return { root, config, desired };
}

/** One instance per server version (the first target that runs it), optionally one server only. */
export function instancesOf(desired: DesiredState, server: string | undefined): Instance[] {
  const seen = new Set<string>();
  const out: Instance[] = [];
  for (const env of desired.environments) {
    for (const target of env.targets) {
      for (const s of target.servers) {
        if (server !== undefined && s.name !== server) continue;
        const version = lockVersion(s.spec);
        const key = `${s.name}\0${version}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ environment: env.name, target: target.name, server: s, version });
      }
    }
  }
  if (server !== undefined && out.length === 0) {
    const names = [
      ...new Set(desired.environments.flatMap((e) => e.targets.flatMap((t) => t.servers.map((s) => s.name)))),
    ];
    const where = desired.environments.map((e) => e.name).join(', ') || '(none)';
    throw new McpGitopsError('ERR_USAGE', `no target runs server "${server}" (environments: ${where})`, {
      hint: `servers these environments run: ${names.sort().join(', ') || '(none)'}`,
    });
  }
  return out.sort((a, b) => (a.server.name < b.server.name ? -1 : a.server.name > b.server.name ? 1 : 0));
}

export interface Verified {
  instance: Instance;
  result: VerifyResult;
}

/** Speaks MCP to instances one at a time; each target's session is opened once and closed at the end. */
export class LiveVerifier {
  private readonly sessions = new Map<string, TargetSession>();
  private readonly deps: EngineDeps;

  constructor(
    root: string,
    private readonly desired: DesiredState,
  ) {
    this.deps = createEngineDeps(root);
  }

  async verify(instance: Instance): Promise<Verified> {
    const fail = (error: string): Verified => ({
      instance,
      result: { ok: false, health: 'unhealthy', error: redactor.redact(error), attempts: 0, durationMs: 0 },
    });
    const session = this.session(instance);
    if (!session?.provider || !session.ctx) return fail(session?.error ?? 'the target could not be opened');
    try {
      const endpoint = await session.provider.endpoint(session.ctx, instance.server);
      if (!endpoint) {
        return fail(
          `not on ${instance.environment}/${instance.target}: apply it first (mcp-gitops reconcile)`,
        );
      }
      const result = await this.deps.verify(endpoint, instance.server.spec.health ?? {});
      return {
        instance,
        result: result.error ? { ...result, error: redactor.redact(result.error) } : result,
      };
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
  }

  private session(instance: Instance): TargetSession | undefined {
    const key = sessionKey(instance.environment, instance.target);
    let session = this.sessions.get(key);
    if (!session) {
      const env = this.desired.environments.find((e) => e.name === instance.environment);
      const target = env?.targets.find((t) => t.name === instance.target);
      if (!env || !target) return undefined;
      session = openSession(env, target, this.deps);
      this.sessions.set(key, session);
    }
    return session;
  }

  async close(): Promise<void> {
    await closeSessions([...this.sessions.values()]);
  }
}
