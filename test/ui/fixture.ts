/**
 * Reports and locks for the UI tests: a TargetReport with any number of servers, hostile text in
 * every field a target or a PR can fill (markup, bidi and zero-width characters), and a ToolLock
 * whose descriptions are hostile too. Written into a real git repository when a test needs one.
 */
import type { TargetReport } from '../../src/core/report.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

export const HOSTILE = '<img src=x onerror=alert(1)>"\'&\u202Egnp.exe\u200B<script>alert(2)</script>';

export function report(
  env: string,
  target: string,
  servers: number,
  extra: Partial<TargetReport> = {},
): TargetReport {
  return {
    apiVersion: 'mcp-gitops/v1',
    kind: 'TargetReport',
    environment: env,
    target,
    provider: 'process',
    host: 'localhost',
    revision: { applied: 'a'.repeat(40), attempted: 'a'.repeat(40) },
    conditions: [{ type: 'Ready', status: 'True', reason: 'AllHealthy', message: 'all servers healthy' }],
    inventory: Array.from({ length: servers }, (_, i) => ({
      server: `s${String(i).padStart(4, '0')}`,
      version: '1.0.0',
      transport: 'stdio',
      specHash: `sha256:${i}`,
      health: i % 10 === 3 ? ('unhealthy' as const) : ('healthy' as const),
      ...(i % 10 === 3 ? { healthReason: HOSTILE } : {}),
      toolCount: 2,
      surface: {
        fingerprint: `sha256:surface${i}`,
        tools: [
          { name: 'echo', fingerprint: 'sha256:echo' },
          { name: 'add', fingerprint: 'sha256:add' },
        ],
        prompts: [],
        resourceTemplates: [],
      },
    })),
    drift: [],
    lastApply: [],
    runs: [{ revision: 'a'.repeat(40), result: 'success', changed: 1, failed: 0, drifted: 0 }],
    ...extra,
  };
}

export function lockYaml(
  server: string,
  version: string,
  tools: { name: string; description: string; fingerprint: string }[],
): string {
  const lines = [
    'apiVersion: mcp-gitops/v1',
    'kind: ToolLock',
    'metadata:',
    `  name: ${server}-${version.replace(/\./g, '-')}`,
    'spec:',
    `  server: ${server}`,
    `  version: "${version}"`,
    '  surface:',
    '    fingerprint: "sha256:locked"',
    '    prompts: []',
    '    resourceTemplates: []',
    '    tools:',
  ];
  for (const t of tools)
    lines.push(
      `      - name: ${t.name}`,
      `        description: ${JSON.stringify(t.description)}`,
      '        inputSchema: {type: object, properties: {text: {type: string, description: "<b>bold</b>"}}}',
      `        fingerprint: "${t.fingerprint}"`,
    );
  return `${lines.join('\n')}\n`;
}

/** A repository with `reports/<env>/<target>.json` files, a lock for `s0000` and one report commit. */
export function reportsRepo(reports: readonly TargetReport[], remote?: string): TempRepo {
  const repo = createTempRepo('mcp-gitops-ui-');
  for (const r of reports)
    repo.write(`reports/${r.environment}/${r.target}.json`, `${JSON.stringify(r, null, 2)}\n`);
  repo.write(
    'tool-locks/s0000/1.0.0.yaml',
    lockYaml('s0000', '1.0.0', [
      { name: 'add', description: 'Adds numbers', fingerprint: 'sha256:add' },
      { name: 'echo', description: `Echoes ${HOSTILE}`, fingerprint: 'sha256:echo-old' },
    ]),
  );
  repo.commitAll('reconcile(dev): 1 changed, 0 failed, 0 drifted\n\nMcp-Gitops-Report: true');
  repo.git('tag', 'dev/v1.2.0');
  repo.git('tag', 'dev/v1.10.0');
  if (remote) repo.git('remote', 'add', 'origin', remote);
  return repo;
}
