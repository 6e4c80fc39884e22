/**
 * Apply one change on a `container` target through the engine API.
 *
 * create/update: make sure the image is there (pull when missing), resolve secrets, create the
 * new container as `<name>.next`, then swap: stop the current one and rename it `<name>.previous`,
 * rename the new one and start it. If it does not start (port taken, bad image), the new one is
 * removed and the previous one restored and restarted, so a failed apply leaves the server as it
 * was. Once the new one runs, the previous one is removed; a rollback after failed verification
 * is an update back to the spec recorded in the old container's labels.
 * delete: stop and remove every container of the server. Failures are outcome `failed`.
 *
 * The image is pulled first (ensure-image.ts: its own timeout and progress lines, before any
 * verification). A published port something else holds on the host is a failed start that says so,
 * with the engine's reason. After an applied change, images mcp-gitops pulled that nothing needs
 * any more are removed (prune-images.ts); each removal is logged and listed at the end of the
 * change's message ("; removed unused images mcp-gitops pulled: REF, …").
 */
import { isMcpGitopsError, McpGitopsError } from '../../core/errors.js';
import type { Change } from '../../core/plan.js';
import type { ChangeResult } from '../../core/report.js';
import type { DesiredServer } from '../../core/state.js';
import { redactor } from '../../log/redact.js';
import type { ProviderContext } from '../types.js';
import { containerEnv } from './container-env.js';
import { containerName, serverLabels } from './container-labels.js';
import { type ContainerSettings, containerSettings } from './container-settings.js';
import {
  type ContainerDetails,
  createContainer,
  removeContainer,
  renameContainer,
  startContainer,
  stopContainer,
} from './engine-api.js';
import type { EngineClient } from './engine-client.js';
import { engineClient } from './engine-connection.js';
import { ensureImage } from './ensure-image.js';
import { updateRecord, withRan } from './image-record.js';
import { findContainers } from './observe-containers.js';
import { pruneImages } from './prune-images.js';
import { createBody, imageRef, unsupportedReason } from './render-container.js';

export async function applyContainerChange(ctx: ProviderContext, change: Change): Promise<ChangeResult> {
  const base = {
    server: change.server,
    action: change.action,
    ...(change.diffs.length ? { diffs: change.diffs } : {}),
  };
  if (change.action === 'noop') return { ...base, outcome: 'unchanged' };
  try {
    const settings = containerSettings(ctx.target.settings);
    const client = await engineClient(ctx);
    const found = (await findContainers(client, ctx.environment.name, ctx.target.name)).get(change.server);
    const all = found ? [...(found.current ? [found.current] : []), ...found.leftovers] : [];
    if (change.action === 'delete') {
      for (const c of all) await removeContainer(client, c.Id);
      const message = all.length ? 'container removed' : 'nothing to remove';
      return { ...base, outcome: 'applied', message: message + (await housekeeping(ctx, client)) };
    }
    const desired = change.desired;
    if (!desired)
      throw new McpGitopsError('ERR_PROVIDER', `change for "${change.server}" carries no desired server`);
    for (const c of found?.leftovers ?? []) await removeContainer(client, c.Id);
    const message = await runServer(ctx, client, settings, desired, found?.current);
    return { ...base, outcome: 'applied', message: message + (await housekeeping(ctx, client)) };
  } catch (err) {
    const message = redactor.redact(explain(err));
    ctx.logger.warn(
      { server: change.server, action: change.action, reason: message },
      'container apply failed',
    );
    return { ...base, outcome: 'failed', message };
  }
}

async function runServer(
  ctx: ProviderContext,
  client: EngineClient,
  settings: ContainerSettings,
  desired: DesiredServer,
  current: ContainerDetails | undefined,
): Promise<string> {
  const reason = unsupportedReason(desired.name, desired.spec);
  if (reason || !desired.spec.package) throw new McpGitopsError('ERR_PROVIDER', reason ?? 'no package');
  const ref = imageRef(desired.spec.package);
  const image = await ensureImage(client, ref, {
    environment: ctx.environment.name,
    target: ctx.target.name,
    logger: ctx.logger,
    progress: (text, ongoing) => ctx.progress?.(desired.name, text, ongoing),
  });
  // What ran here is remembered for housekeeping; failing to remember it does not fail the change.
  const ran = () =>
    updateRecord(client, ctx.environment.name, ctx.target.name, (r) => withRan(r, desired.name, ref)).catch(
      (err: unknown) => ctx.logger.warn({ image: ref, reason: explain(err) }, 'could not record the image'),
    );
  const env = await containerEnv(ctx, desired.name, desired.spec);
  const name = containerName(ctx.environment.name, ctx.target.name, desired.name);
  const body = createBody(desired.name, desired.spec, {
    env,
    labels: serverLabels(ctx.environment.name, ctx.target.name, desired, ref),
    bindAddress: settings.bindAddress,
    ...(settings.network ? { network: settings.network } : {}),
  });
  const where = `${settings.bindAddress}:${desired.spec.port}`;
  const pulled = image === 'pulled' ? ' (pulled)' : '';
  if (!current) {
    const id = await createContainer(client, name, body);
    try {
      await startReleasedPort(client, id, where, CREATE_PORT_WAIT_MS);
    } catch (err) {
      await removeContainer(client, id).catch(() => undefined);
      throw err;
    }
    await ran();
    return `started ${ref}${pulled} as ${name} on ${where}`;
  }
  const next = await createContainer(client, `${name}.next`, body);
  const wasRunning = current.State.Running;
  try {
    await stopContainer(client, current.Id);
    await renameContainer(client, current.Id, `${name}.previous`);
  } catch (err) {
    await removeContainer(client, next).catch(() => undefined);
    if (wasRunning) await startReleasedPort(client, current.Id, where).catch(() => undefined);
    throw err;
  }
  try {
    await renameContainer(client, next, name);
    await startReleasedPort(client, next, where);
  } catch (err) {
    await removeContainer(client, next).catch(() => undefined);
    await renameContainer(client, current.Id, name);
    if (wasRunning) await startReleasedPort(client, current.Id, where);
    throw new McpGitopsError(
      'ERR_PROVIDER',
      `${explain(err)}; kept the previous container${wasRunning ? ', restarted' : ''}`,
    );
  }
  await removeContainer(client, current.Id);
  await ran();
  return `replaced ${name} with ${ref}${pulled} on ${where}`;
}

/** How long a start waits for a port the stopped container's engine side still holds. */
const PORT_RELEASE_MS = 10_000;
/** The same for a new server's container: only another server's just-removed container can hold it. */
const CREATE_PORT_WAIT_MS = 3000;
/** Docker: "port is already allocated"; Podman and docker-proxy: "address already in use". */
const PORT_TAKEN = /address already in use|already allocated/i;

/**
 * Start a container; while its port is still held (the engine releases the port of a container
 * it just stopped a moment after the stop returns), try again, bounded. A port still taken then is
 * held by something else on the host: the start fails, saying so with the engine's reason, and
 * is never taken for a running server (verification would speak to whatever holds the port).
 */
async function startReleasedPort(
  client: EngineClient,
  id: string,
  where: string,
  waitMs = PORT_RELEASE_MS,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await startContainer(client, id);
      return;
    } catch (err) {
      const busy = err instanceof Error && PORT_TAKEN.test(err.message);
      if (!busy) throw err;
      if (Date.now() > deadline) {
        const reason = (err as Error).message.replace(/^container engine: POST \S+ → \d+: /, '');
        throw new McpGitopsError(
          'ERR_PROVIDER',
          `could not start the container: port ${where} is already allocated on the host (the engine: ${reason})`,
          { hint: 'something else listens on that port: stop it, or give the server another port' },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Remove images nothing needs any more; the removals as the end of the change's message. */
async function housekeeping(ctx: ProviderContext, client: EngineClient): Promise<string> {
  try {
    const removed = await pruneImages(ctx, client);
    return removed.length ? `; removed unused images mcp-gitops pulled: ${removed.join(', ')}` : '';
  } catch (err) {
    const reason = redactor.redact(explain(err));
    ctx.logger.warn({ reason }, 'image housekeeping failed');
    return `; image housekeeping failed: ${reason}`;
  }
}

function explain(err: unknown): string {
  if (isMcpGitopsError(err)) return err.hint ? `${err.message} (${err.hint})` : err.message;
  return err instanceof Error ? err.message : String(err);
}
