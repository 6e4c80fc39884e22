/** A small config repo (real git) reconciled in-process against in-memory targets, for metrics tests. */

import { reconcile } from '../../src/engine/reconcile.js';
import type { EngineDeps, RunResult } from '../../src/engine/types.js';
import { LocalHost } from '../../src/hosts/local-host.js';
import { createLogger } from '../../src/log/logger.js';
import { fakeVerify, MemoryProvider } from '../helpers/memory-provider.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

export const serverYaml = (name: string) =>
  `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: ${name}\nspec:\n  command:\n    path: /usr/bin/${name}\n  transport: stdio\n`;

export function environmentYaml(
  name: string,
  drift: string,
  targets: string[],
  servers: string[],
  prune = false,
): string {
  const target = (t: string) =>
    `    - name: ${t}\n      provider: client-config\n      clients: [claude-code]\n`;
  return `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: ${name}\nspec:\n  sync:\n    drift: ${drift}\n    prune: ${prune}\n  targets:\n${targets.map(target).join('')}  servers:\n${servers.map((s) => `    - name: ${s}\n`).join('')}`;
}

export interface EngineFixture {
  repo: TempRepo;
  provider: MemoryProvider;
  /** One reconcile without recording in git (metrics do not need the report commit). */
  run(environment?: string): Promise<RunResult>;
}

/** Servers a and b; dev (drift correct: laptop, desk) and prod (drift detect: edge). */
export function createEngineFixture(): EngineFixture {
  const repo = createTempRepo('mcp-gitops-metrics-');
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: metrics\nspec:\n  branch: main\n',
  );
  repo.write('servers/a.yaml', serverYaml('a'));
  repo.write('servers/b.yaml', serverYaml('b'));
  repo.write('environments/dev.yaml', environmentYaml('dev', 'correct', ['laptop', 'desk'], ['a', 'b']));
  repo.write('environments/prod.yaml', environmentYaml('prod', 'detect', ['edge'], ['a', 'b']));
  repo.commitAll('config');
  const provider = new MemoryProvider();
  const deps: Partial<EngineDeps> = {
    provider: () => provider,
    createHost: () => new LocalHost({ home: repo.dir }),
    verify: fakeVerify,
    logger: createLogger({ level: 'silent' }),
  };
  return {
    repo,
    provider,
    run: (environment) => reconcile({ repoDir: repo.dir, environment, deps, record: false }),
  };
}
