/**
 * One provider context per target for the whole run: the host connection, the run's secret
 * resolver and the one redactor. Hosts are closed together at the end of the run.
 */
import type { DesiredEnvironment, DesiredState, DesiredTarget } from '../core/state.js';
import { redactor } from '../log/redact.js';
import type { Provider, ProviderContext } from '../providers/types.js';
import type { EngineDeps } from './types.js';

export interface TargetSession {
  environment: DesiredEnvironment;
  target: DesiredTarget;
  provider?: Provider;
  ctx?: ProviderContext;
  /** Why the session could not be opened (unknown provider, unsupported host). */
  error?: string;
}

export function openSessions(desired: DesiredState, deps: EngineDeps): TargetSession[] {
  const sessions: TargetSession[] = [];
  for (const environment of desired.environments) {
    for (const target of environment.targets) sessions.push(openSession(environment, target, deps));
  }
  // Targets removed from the repo: reached with the settings they had (or not at all, with why).
  for (const retired of desired.retired ?? []) {
    sessions.push(
      retired.unreadable
        ? { environment: retired.environment, target: retired.target, error: retired.unreadable }
        : openSession(retired.environment, retired.target, deps),
    );
  }
  return sessions;
}

export function openSession(
  environment: DesiredEnvironment,
  target: DesiredTarget,
  deps: EngineDeps,
): TargetSession {
  try {
    const provider = deps.provider(target.provider);
    const host = deps.createHost({ ...target.settings, name: target.name, host: target.host });
    const ctx: ProviderContext = {
      host,
      environment,
      target,
      secrets: deps.secrets,
      logger: deps.logger.child({ environment: environment.name, target: target.name }),
      redact: (value) => redactor.add(value),
      progress: (server, text, ongoing) =>
        deps.progress?.({ where: `${environment.name}/${target.name}/${server}`, text, ongoing }),
    };
    return { environment, target, provider, ctx };
  } catch (err) {
    return { environment, target, error: redactor.redact((err as Error).message) };
  }
}

export async function closeSessions(sessions: readonly TargetSession[]): Promise<void> {
  await Promise.allSettled(sessions.map((s) => s.ctx?.host.close()));
}

export function sessionKey(environment: string, target: string): string {
  return `${environment}\u0000${target}`;
}
