/**
 * Writes the committed reports of a large fleet for the UI benchmark, the way the product writes
 * them (`serializeReport`, `reports/<env>/<target>.json`): each environment has `targetsPerEnv`
 * targets sharing `serversPerEnv` servers, each verified with a five-tool surface; a few servers
 * are unhealthy, starting, drifted or changed against their lock, so every part of a page has
 * rows. Deterministic: same arguments, same bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InventoryEntry, TargetReport } from '../src/core/report.js';
import { serializeReport } from '../src/report/serialize-report.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function entry(i: number): InventoryEntry {
  const server = `server-${String(i).padStart(5, '0')}`;
  const health = i % 97 === 0 ? 'unhealthy' : i % 89 === 0 ? 'starting' : 'healthy';
  const tools = ['read', 'write', 'list', 'search', 'delete'].map((t) => ({
    name: `${t}_${i % 13}`,
    fingerprint: `sha256:${sha(`${server}/${t}`)}`,
  }));
  return {
    server,
    version: `1.${i % 40}.${i % 9}`,
    transport: i % 3 === 0 ? 'streamable-http' : 'stdio',
    specHash: sha(`spec/${server}`),
    health,
    ...(health === 'unhealthy' ? { healthReason: 'not running (its pidfile names a dead process)' } : {}),
    healthSince: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
    restarts: i % 11 === 0 ? 2 : 0,
    toolCount: tools.length,
    toolsHash: sha(`tools/${server}`),
    ...(i % 101 === 0 ? { toolsChanged: [tools[0]!.name] } : {}),
    surface: { fingerprint: `sha256:${sha(`surface/${server}`)}`, tools, prompts: [], resourceTemplates: [] },
    ...(i % 3 === 0 ? { endpoint: `http://127.0.0.1:${20000 + i}/mcp` } : {}),
  };
}

export function writeUiReports(
  root: string,
  { environments = ['dev', 'staging', 'prod'], targetsPerEnv = 4, serversPerEnv = 1000 } = {},
): { files: string[]; servers: number } {
  const files: string[] = [];
  let servers = 0;
  const perTarget = Math.ceil(serversPerEnv / targetsPerEnv);
  for (const environment of environments) {
    mkdirSync(join(root, environment), { recursive: true });
    for (let t = 0; t < targetsPerEnv; t++) {
      const target = `vm-${t}`;
      const inventory: InventoryEntry[] = [];
      for (let i = t * perTarget; i < Math.min(serversPerEnv, (t + 1) * perTarget); i++)
        inventory.push(entry(i));
      servers += inventory.length;
      const drift = inventory
        .filter((_, k) => k % 120 === 7)
        .map((e) => ({ server: e.server, paths: ['env.LOG_LEVEL'] }));
      const unhealthy = inventory.filter((e) => e.health !== 'healthy').length;
      const revision = sha(`${environment}/rev`).slice(0, 40);
      const report: TargetReport = {
        apiVersion: 'mcp-gitops/v1',
        kind: 'TargetReport',
        environment,
        target,
        provider: 'process',
        host: `${target}.example`,
        revision: { applied: revision, attempted: revision },
        conditions: [
          {
            type: 'Ready',
            status: unhealthy || drift.length ? 'False' : 'True',
            reason: unhealthy ? 'Degraded' : drift.length ? 'DriftDetected' : 'InSync',
            message: `${inventory.length} servers, ${unhealthy} not healthy, ${drift.length} drifted`,
          },
          { type: 'Reconciling', status: 'False', reason: 'Idle', message: 'nothing in progress' },
          { type: 'Stalled', status: 'False', reason: 'Succeeded', message: 'the last run completed' },
        ],
        inventory,
        drift,
        lastApply: inventory
          .slice(0, 3)
          .map((e) => ({ server: e.server, action: 'update', outcome: 'applied' })),
        runs: [{ revision, result: 'success', changed: 3, failed: 0, drifted: drift.length }],
      };
      const file = join(root, environment, `${target}.json`);
      writeFileSync(file, serializeReport(report));
      files.push(file);
    }
  }
  return { files, servers };
}
