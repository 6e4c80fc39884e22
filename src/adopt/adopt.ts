/**
 * `mcp-gitops adopt`: the entries a user made by hand in a client-config target's client files
 * (those not in mcp-gitops's inventory), read through the target's host, become Server YAML
 * (`servers/<name>.yaml`) and a placement in the environment (`spec.servers`, edited in place),
 * left in the working tree for review. The adopted entries are recorded in the inventory as owned,
 * so the next reconcile rewrites nothing that already matches; an entry whose native form differs
 * (a plaintext secret → a reference) shows in `plan` as an update. Secret values are never printed
 * or written: only the variable each must be moved to.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Document, isScalar } from 'yaml';
import { getClient, isClientId } from '../clients/registry.js';
import type { ClientAdapter } from '../clients/types.js';
import { loadConfig } from '../config/load-config.js';
import { McpGitopsError } from '../core/errors.js';
import {
  API_VERSION,
  type EnvironmentResource,
  type ServerSpec,
  type TargetSpec,
} from '../core/resources.js';
import { createHost } from '../hosts/create-host.js';
import { modeline } from '../init/schema-modeline.js';
import { canonicalEqual } from '../plan/canonical.js';
import { resolveClientPath } from '../providers/client-config/client-path.js';
import { readInventory, writeInventory } from '../providers/client-config/inventory.js';
import { secretsMode, targetClients } from '../providers/client-config/target-clients.js';
import { specHash } from '../resolve/normalize-server.js';
import { createSecretResolver } from '../secrets/resolve-secret.js';
import { type AdoptedSpec, entryToSpec } from './entry-to-spec.js';
import { placeServers } from './place-server.js';

export interface AdoptOptions {
  root: string;
  env: string;
  target: string;
  client?: string;
  dryRun?: boolean;
}

interface Found {
  name: string;
  spec: ServerSpec;
  moved: AdoptedSpec['moved'];
  notes: string[];
  /** client id → file */
  clients: Record<string, string>;
  /** clients whose entry differs from what mcp-gitops would write */
  differs: string[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export async function adopt(options: AdoptOptions, print: (line: string) => void): Promise<number> {
  const { config } = await loadConfig({ root: options.root });
  const envDoc = config.environments.find((d) => d.name === options.env);
  if (!envDoc) throw new McpGitopsError('ERR_USAGE', `no environment "${options.env}" in ${options.root}`);
  const env = envDoc.value as EnvironmentResource;
  const target = env.spec.targets.find((t) => t.name === options.target);
  if (target?.provider !== 'client-config') {
    throw new McpGitopsError(
      'ERR_USAGE',
      `environment ${options.env} has no client-config target "${options.target}"`,
    );
  }
  const clients = pickClients(target, options.client);
  // An ssh target's identityFile ref resolves as the engine's does (values registered with the redactor).
  const host = createHost(
    { ...target, name: target.name },
    { repoRoot: config.root, secrets: createSecretResolver({ repoRoot: config.root }) },
  );
  const inventory = await readInventory(host, env.metadata.name, target.name);
  const pathCtx = { home: await host.home(), platform: host.kind === 'local' ? process.platform : undefined };
  const known = new Set(config.servers.map((s) => s.name));
  const found = new Map<string, Found>();
  for (const client of clients) {
    const file = await resolveClientPath(client, target, pathCtx, host);
    const text = await host.readFile(file);
    if (text === undefined) continue;
    const entries = client.readEntries(client.parse(text, file));
    for (const [name, entry] of Object.entries(entries)) {
      if (inventory.servers[name]) continue;
      if (!DNS_LABEL.test(name) || name.length > 63) {
        print(`skipped ${client.id} entry "${name}": not a DNS label (rename it, then adopt)`);
        continue;
      }
      if (known.has(name)) {
        print(`skipped ${client.id} entry "${name}": the repo already has a Server "${name}"`);
        continue;
      }
      let adopted: AdoptedSpec;
      try {
        adopted = entryToSpec(name, entry, `${client.id} (${file})`);
      } catch (err) {
        print(`skipped: ${(err as Error).message}`);
        continue;
      }
      const native = client.entryFor(
        { name, spec: adopted.spec, specHash: '' } as Parameters<ClientAdapter['entryFor']>[0],
        { secretsMode: secretsMode(target), endpointUrl: adopted.spec.remote?.url },
      );
      const differs = !canonicalEqual(native, entry);
      const seen = found.get(name);
      if (!seen) {
        found.set(name, {
          name,
          ...adopted,
          clients: { [client.id]: file },
          differs: differs ? [client.id] : [],
        });
        continue;
      }
      if (!canonicalEqual(seen.spec, adopted.spec)) {
        print(
          `skipped ${client.id} entry "${name}": it differs from the one in ${Object.keys(seen.clients).join(', ')}`,
        );
        continue;
      }
      seen.clients[client.id] = file;
      seen.moved.push(...adopted.moved);
      if (differs) seen.differs.push(client.id);
    }
  }
  if (found.size === 0) {
    print(`nothing to adopt: no hand-made entries in ${clients.map((c) => c.id).join(', ')}`);
    return 0;
  }
  const servers = [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const verb = options.dryRun ? 'would write' : 'wrote';
  for (const s of servers) {
    const rel = path.join('servers', `${s.name}.yaml`);
    const abs = path.join(config.root, rel);
    if (fs.existsSync(abs))
      throw new McpGitopsError('ERR_IO', `${rel} already exists`, {
        hint: 'nothing was written; move it away and adopt again',
      });
    if (!options.dryRun) {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, serverYaml(rel, s));
    }
    print(`${verb} ${rel} (from ${Object.keys(s.clients).sort().join(', ')})`);
  }
  const envFile = path.isAbsolute(envDoc.file) ? envDoc.file : path.join(config.root, envDoc.file);
  const envText = fs.readFileSync(envFile, 'utf8');
  const placed = placeServers(
    envDoc.file,
    envText,
    envDoc.index,
    servers.map((s) => s.name),
    target.name,
  );
  if (!options.dryRun) fs.writeFileSync(envFile, placed);
  print(
    `${verb} ${path.relative(config.root, envFile)}: ${servers.map((s) => s.name).join(', ')} in spec.servers with targets: [${target.name}]`,
  );
  for (const s of servers) {
    for (const m of s.moved) {
      print(
        `secret: set ${m.variable} in the environment of whoever runs reconcile (its value was in ${m.from}; it is not copied anywhere)`,
      );
    }
    for (const n of s.notes) print(`note (${s.name}): ${n}`);
  }
  // With prune on, an owned entry the branch head does not list is deleted: until the Server YAML
  // is committed, recording these entries would let the next reconcile remove the user's servers.
  const prune = env.spec.sync?.prune === true;
  if (!options.dryRun && !prune) {
    for (const s of servers) {
      inventory.servers[s.name] = { spec: s.spec, specHash: specHash(s.spec), clients: { ...s.clients } };
    }
    await writeInventory(host, inventory);
  }
  const same = servers.filter((s) => s.differs.length === 0).map((s) => s.name);
  const differ = servers.filter((s) => s.differs.length > 0);
  if (same.length > 0 && !prune)
    print(`managed now, not rewritten (already what mcp-gitops writes): ${same.join(', ')}`);
  for (const s of servers) {
    const others = targetClients(target)
      .map((c) => c.id)
      .filter((id) => !(id in s.clients));
    if (others.length > 0)
      print(
        `reconcile will also add ${s.name} to ${others.join(', ')} (placed on the whole target; that update lays its existing entries out as mcp-gitops writes them, same values)`,
      );
  }
  for (const s of differ) {
    print(
      `plan will show ${s.name} as an update in ${s.differs.join(', ')} (its entry becomes mcp-gitops's native form, e.g. a secret → a reference)`,
    );
  }
  print(
    options.dryRun
      ? 'dry run: nothing written'
      : prune
        ? 'review the files above, `mcp-gitops validate`, then commit them: they are not committed. sync.prune is true here, so the entries are not recorded as managed yet (a reconcile before the commit would delete them): the first reconcile after the commit takes them over.'
        : 'review the files above, `mcp-gitops validate`, then commit them: they are not committed. The inventory now owns these entries; until the commit, a reconcile lists them as kept (sync.prune is false).',
  );
  return 0;
}

function pickClients(target: TargetSpec, id: string | undefined): ClientAdapter[] {
  if (id === undefined) return targetClients(target);
  if (!isClientId(id)) throw new McpGitopsError('ERR_USAGE', `unknown client "${id}"`);
  return [getClient(id)];
}

function serverYaml(rel: string, s: Found): string {
  const head = [
    modeline(rel, 'Server').trimEnd(),
    `# Adopted by \`mcp-gitops adopt\` from ${Object.keys(s.clients).sort().join(', ')}.`,
    ...s.moved.map(
      (m) =>
        `# NOTE: ${m.variable} is read at apply time from the reconciler's environment (env:${m.variable})`,
    ),
    ...s.notes.map((n) => `# NOTE: ${n}`),
  ];
  const doc = new Document({
    apiVersion: API_VERSION,
    kind: 'Server',
    metadata: { name: s.name },
    spec: s.spec,
  });
  const version = doc.getIn(['spec', 'package', 'version'], true);
  if (isScalar(version)) version.type = 'QUOTE_DOUBLE';
  return `${head.join('\n')}\n${doc.toString({ lineWidth: 0 })}`;
}
