/**
 * An in-memory provider for unit tests of the engine (never a stand-in for a real provider's own
 * tests). Each target is a Map of server → applied spec; knobs make a target unreachable, an apply
 * fail or throw, and a server "unhealthy" for the fake verifier.
 */
import type { Change } from '../../src/core/plan.js';
import type { ChangeResult } from '../../src/core/report.js';
import type { DesiredServer, ObservedTarget } from '../../src/core/state.js';
import type { Endpoint, Provider, ProviderContext } from '../../src/providers/types.js';
import type { VerifyHealth, VerifyResult } from '../../src/verify/verify-server.js';

export interface MemoryServer {
  spec: DesiredServer['spec'];
  specHash: string;
  actual: Record<string, unknown>;
}

export class MemoryProvider implements Provider {
  readonly id = 'memory';
  readonly description = 'in-memory target for engine tests';
  readonly targets = new Map<string, Map<string, MemoryServer>>();
  readonly unreachable = new Set<string>();
  readonly failApply = new Set<string>();
  readonly throwApply = new Set<string>();
  readonly applied: string[] = [];

  validateTarget(): string[] {
    return [];
  }
  supports(): boolean {
    return true;
  }
  render(server: DesiredServer): Record<string, unknown> {
    return { command: server.spec.command?.path ?? server.name, env: server.spec.env ?? {} };
  }
  state(target: string): Map<string, MemoryServer> {
    let m = this.targets.get(target);
    if (!m) {
      m = new Map();
      this.targets.set(target, m);
    }
    return m;
  }
  async observe(ctx: ProviderContext): Promise<ObservedTarget> {
    if (this.unreachable.has(ctx.target.name)) throw new Error(`connection refused to ${ctx.target.name}`);
    const servers = [...this.state(ctx.target.name)].map(([name, s]) => ({
      name,
      spec: s.spec,
      specHash: s.specHash,
      actual: s.actual,
    }));
    return { environment: ctx.environment.name, target: ctx.target.name, reachable: true, servers };
  }
  async apply(ctx: ProviderContext, change: Change): Promise<ChangeResult> {
    this.applied.push(`${change.action} ${ctx.target.name}/${change.server}`);
    if (this.throwApply.has(change.server)) throw new Error(`boom applying ${change.server}`);
    if (this.failApply.has(change.server))
      return { server: change.server, action: change.action, outcome: 'failed', message: 'refused' };
    const state = this.state(ctx.target.name);
    if (change.action === 'delete') state.delete(change.server);
    else if (change.desired) {
      for (const s of change.desired.spec.secrets ?? []) ctx.redact(await ctx.secrets.resolve(s.ref));
      state.set(change.server, {
        spec: change.desired.spec,
        specHash: change.desired.specHash,
        actual: this.render(change.desired),
      });
    }
    return { server: change.server, action: change.action, outcome: 'applied' };
  }
  async endpoint(ctx: ProviderContext, server: DesiredServer): Promise<Endpoint | undefined> {
    return {
      kind: 'http',
      url: `memory://${ctx.target.name}/${server.name}?broken=${server.spec.env?.BROKEN ?? ''}`,
    };
  }
}

/** Fake verifier for engine unit tests: a server whose env has BROKEN=1 fails. */
export async function fakeVerify(endpoint: Endpoint, _health: VerifyHealth): Promise<VerifyResult> {
  const broken = endpoint.kind === 'http' && endpoint.url.endsWith('broken=1');
  return broken
    ? { ok: false, health: 'unhealthy', error: 'process exited with code 1', attempts: 1, durationMs: 0 }
    : {
        ok: true,
        health: 'healthy',
        toolCount: 2,
        toolsHash: 'sha256:abc',
        tools: ['a', 'b'],
        attempts: 1,
        durationMs: 0,
      };
}
