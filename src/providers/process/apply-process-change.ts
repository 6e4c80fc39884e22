/**
 * Apply one change on a `process` target. create/update: install the pinned package (its own
 * step and timeout, before anything starts), write the env file (0600, secrets resolved now),
 * record spec.json, then (re)start under the host's supervisor — with fresh restart counters when
 * the spec changed, the same ones when only a dead server is started again — record the version
 * in the server's history and clean up (old installs, stale temporary files: named in the
 * message and logged). delete: stop and remove the server directory (installed packages stay for
 * rollbacks until the next housekeeping). Failures come back as outcome `failed` with a redacted
 * message.
 */
import { isMcpGitopsError, McpGitopsError } from '../../core/errors.js';
import type { Change } from '../../core/plan.js';
import type { ChangeResult } from '../../core/report.js';
import { redactor } from '../../log/redact.js';
import type { ProviderContext } from '../types.js';
import { getSupervisor } from './get-supervisor.js';
import { describeRemoved, houseKeep, recordVersion, type TempScans } from './housekeeping.js';
import { holdInstall } from './install-package.js';
import { LAUNCHER_SCRIPT } from './launcher-script.js';
import { prepareLaunch } from './prepare-launch.js';
import { type Layout, processSettings, resolveLayout } from './process-settings.js';
import { hostNode, type InventoryEntry, readInventory } from './read-inventory.js';
import { renderEnvFile } from './render-env-file.js';
import type { ServerRecord } from './server-record.js';
import { detectSupervisor, type LaunchSpec } from './supervisor.js';

export async function applyProcessChange(
  ctx: ProviderContext,
  change: Change,
  /** Shared by one batch's changes (process-batch.ts): what its housekeepings looked at. */
  batch: { scans?: TempScans } = {},
): Promise<ChangeResult> {
  const base = {
    server: change.server,
    action: change.action,
    ...(change.diffs.length ? { diffs: change.diffs } : {}),
  };
  if (change.action === 'noop') return { ...base, outcome: 'unchanged' };
  let release = () => {};
  try {
    const settings = processSettings(ctx.target.settings);
    const layout = await resolveLayout(ctx.host, settings, ctx.environment.name);
    const node = await hostNode(ctx.host);
    const entry = (await readInventory(ctx.host, layout, { only: change.server })).find(
      (e) => e.name === change.server,
    );
    if (change.action === 'delete') {
      if (entry) await stopExisting(ctx, layout, node, entry);
      await ctx.host.remove(layout.server(change.server).dir, { recursive: true });
      return { ...base, outcome: 'applied', message: entry ? 'stopped and removed' : 'nothing to remove' };
    }
    const desired = change.desired;
    if (!desired)
      throw new McpGitopsError('ERR_PROVIDER', `change for "${change.server}" carries no desired server`);
    await ensureLauncher(ctx, layout);
    const supervisor = await detectSupervisor(ctx.host, settings.supervisor);
    const pkg = desired.spec.package;
    if (pkg) release = holdInstall(ctx.host, layout.packageDir(pkg.identifier, pkg.version));
    const prepared = await prepareLaunch(
      ctx.host,
      layout,
      node,
      { environment: ctx.environment.name, server: desired },
      settings,
      (text, ongoing) => ctx.progress?.(desired.name, text, ongoing),
    );
    const { paths } = prepared.launch;
    const envFile = await renderEnvFile(ctx, desired.name, desired.spec);
    // 0700: the env file, log and spec.json are for this user only (the log may echo configuration).
    await ctx.host.mkdir(paths.dir, 0o700);
    await ctx.host.writeFile(paths.env, envFile, { mode: 0o600 });
    const record: ServerRecord = {
      formatVersion: 1,
      environment: ctx.environment.name,
      target: ctx.target.name,
      server: desired.name,
      spec: desired.spec,
      specHash: desired.specHash,
      ...(prepared.version === undefined ? {} : { version: prepared.version }),
      port: desired.spec.port,
      listenHost: settings.listenHost,
      supervisor,
      command: prepared.command,
    };
    if (entry) await stopExisting(ctx, layout, node, entry);
    // A new spec starts with no restarts and no crash loop; starting the same spec again keeps them.
    if (entry?.record?.specHash !== desired.specHash) await ctx.host.remove(paths.state);
    await ctx.host.writeFile(paths.spec, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    await getSupervisor(supervisor).start(ctx.host, prepared.launch);
    const what = pkg ? `${pkg.identifier}@${prepared.version}` : prepared.command[0];
    if (pkg) await recordVersion(ctx.host, paths, `${pkg.identifier}@${pkg.version}`);
    const removed = await houseKeep(ctx.host, node, layout, {
      keepVersions: settings.keepVersions,
      desired: [...ctx.target.servers, desired],
      logger: ctx.logger,
      ...(batch.scans ? { scans: batch.scans } : {}),
    });
    const cleaned = describeRemoved(removed);
    return {
      ...base,
      outcome: 'applied',
      message: `${entry ? 'restarted' : 'started'} ${what} on ${settings.listenHost}:${desired.spec.port} (${supervisor})${cleaned ? `; ${cleaned}` : ''}`,
    };
  } catch (err) {
    const message = redactor.redact(explain(err));
    ctx.logger.warn(
      { server: change.server, action: change.action, reason: message },
      'process apply failed',
    );
    return { ...base, outcome: 'failed', message };
  } finally {
    release();
  }
}

/** Write the launcher when it is missing or differs from this version's. */
async function ensureLauncher(ctx: ProviderContext, layout: Layout): Promise<void> {
  if ((await ctx.host.readFile(layout.launcher)) !== LAUNCHER_SCRIPT) {
    await ctx.host.writeFile(layout.launcher, LAUNCHER_SCRIPT, { mode: 0o644 });
  }
}

async function stopExisting(
  ctx: ProviderContext,
  layout: Layout,
  node: string,
  entry: InventoryEntry,
): Promise<void> {
  const kind = entry.record?.supervisor ?? (await detectSupervisor(ctx.host));
  const launch: LaunchSpec = {
    node,
    launcher: layout.launcher,
    runArgs: [],
    paths: layout.server(entry.name),
    unit: `mcp-gitops-${ctx.environment.name}-${entry.name}`,
    env: {},
  };
  await getSupervisor(kind).stop(ctx.host, launch, entry.running);
}

function explain(err: unknown): string {
  if (isMcpGitopsError(err)) return err.hint ? `${err.message} (${err.hint})` : err.message;
  return err instanceof Error ? err.message : String(err);
}
