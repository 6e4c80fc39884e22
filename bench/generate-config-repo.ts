/**
 * Writes a synthetic config repo of N servers across 3 environments (every environment lists
 * every server) for the validate benchmark. Deterministic: same N, same bytes.
 * `shape` narrows it for benches that plan against real local targets (bench/scale.ts): which
 * environments, and a local process target under a given base directory instead of an SSH VM.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BENCH_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

function serverYaml(i: number): string {
  const name = `server-${String(i).padStart(5, '0')}`;
  const http = i % 3 === 0;
  return `# yaml-language-server: $schema=../../schemas/server.schema.json
apiVersion: mcp-gitops/v1
kind: Server
metadata:
  name: ${name}
  labels: { team: team-${i % 7}, tier: "${i % 2 === 0 ? 'gold' : 'silver'}" }
spec:
  description: Synthetic server number ${i} for the validate benchmark
  package:
    registryType: npm
    identifier: "@example/mcp-server-${i}"
    version: "1.${i % 40}.${i % 9}"
    packageArguments: ["--verbose", "--data", "{{vars.dataDir}}/${name}"]
  transport: ${http ? 'streamable-http' : 'stdio'}${http ? `\n  port: ${20000 + i}\n  path: /mcp` : ''}
  env:
    LOG_LEVEL: info
    DATA_DIR: "{{vars.dataDir}}/${name}"
  secrets:
    - name: API_TOKEN
      ref: env:SERVER_${i}_TOKEN
  health:
    expectTools: [tool_a, tool_b]
    timeoutMs: 10000
`;
}

export interface ConfigRepoShape {
  /** Default: BENCH_ENVIRONMENTS. */
  environments?: readonly string[];
  /** The process target runs on this host under `baseDir`; default an SSH VM per environment. */
  processTarget?: { host: string; baseDir: string };
}

function environmentYaml(env: string, servers: number, shape: ConfigRepoShape): string {
  const lines = [
    'apiVersion: mcp-gitops/v1',
    'kind: Environment',
    `metadata: { name: ${env} }`,
    'spec:',
    `  vars: { team: platform, dataDir: /var/lib/mcp/${env} }`,
    '  sync: { drift: correct, prune: false, maxDeletions: 3 }',
    '  targets:',
    '    - name: laptop',
    '      provider: client-config',
    '      host: local',
    '      clients: [claude-code, cursor]',
    '    - name: vm-1',
    '      provider: process',
    `      host: ${shape.processTarget?.host ?? `ssh://deploy@${env}-vm-1.internal:22`}`,
    `      baseDir: ${shape.processTarget?.baseDir ?? '~/.mcp-gitops'}`,
    '  servers:',
  ];
  for (let i = 0; i < servers; i++) {
    const name = `server-${String(i).padStart(5, '0')}`;
    lines.push(`    - name: ${name}`);
    lines.push(`      targets: [${i % 3 === 0 ? 'vm-1' : 'laptop'}]`);
    if (i % 5 === 0) lines.push('      overrides: { env: { LOG_LEVEL: debug } }');
  }
  return `${lines.join('\n')}\n`;
}

export function generateConfigRepo(dir: string, servers: number, shape: ConfigRepoShape = {}): void {
  mkdirSync(join(dir, 'servers'), { recursive: true });
  mkdirSync(join(dir, 'environments'), { recursive: true });
  writeFileSync(
    join(dir, 'mcp-gitops.yaml'),
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: bench }\nspec:\n  branch: main\n  policies: [no-plaintext-secrets, pinned-versions, require-health-check]\n',
  );
  for (let i = 0; i < servers; i++) {
    writeFileSync(join(dir, 'servers', `server-${String(i).padStart(5, '0')}.yaml`), serverYaml(i));
  }
  for (const env of shape.environments ?? BENCH_ENVIRONMENTS) {
    writeFileSync(join(dir, 'environments', `${env}.yaml`), environmentYaml(env, servers, shape));
  }
}
