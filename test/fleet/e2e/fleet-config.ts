/**
 * The config repo of the fleet e2e test: environment `dev` with one fleet target `laptops`
 * (`host: fleet`, selector `team: platform`, Claude Code, waves 10/50/100 %, pause on failure,
 * drift warned and not corrected) carrying one stdio server, server-memory run by `node <path>`,
 * with a secret reference `env:CANARY_TOKEN` that only the agents can resolve.
 */
import * as path from 'node:path';
import { serverBin } from '../../helpers/mcp-servers.js';

/** A level tag (so each release has its own digest) and whether its server starts at all. */
export interface MemoryRelease {
  level: string;
  /** A server that exits at once: every machine that applies it fails verification. */
  broken?: boolean;
}

export function memoryServerYaml(base: string, release: MemoryRelease): string {
  const args = release.broken ? ['-e', 'process.exit(3)'] : [serverBin('memory')];
  return [
    'apiVersion: mcp-gitops/v1',
    'kind: Server',
    'metadata:',
    '  name: memory',
    'spec:',
    '  description: memory',
    '  command:',
    `    path: ${JSON.stringify(process.execPath)}`,
    `    args: ${JSON.stringify(args)}`,
    '  transport: stdio',
    '  env:',
    `    MEMORY_FILE_PATH: ${JSON.stringify(path.join(base, 'memory.jsonl'))}`,
    `    LEVEL: ${JSON.stringify(release.level)}`,
    '  secrets:',
    '    - name: CANARY_TOKEN',
    '      ref: env:CANARY_TOKEN',
    '  health:',
    '    expectTools: [read_graph]',
    '    timeoutMs: 15000',
    '',
  ].join('\n');
}

export const FLEET_ENVIRONMENT_YAML = `apiVersion: mcp-gitops/v1
kind: Environment
metadata:
  name: dev
spec:
  sync:
    drift: warn
  targets:
    - name: laptops
      provider: client-config
      host: fleet
      selector: { team: platform }
      clients: [claude-code]
      rollout: { waves: [10%, 50%, 100%], pauseOnFailure: true }
  servers:
    - name: memory
`;
