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
import { findContainers } from './observe-containers.js';
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
      return { ...base, outcome: 'applied', message: all.length ? 'container removed' : 'nothing to remove' };
    }
    const desired = change.desired;
    if (!desired)
      throw new McpGitopsError('ERR_PROVIDER', `change for "${change.server}" carries no desired server`);
    for (const c of found?.leftovers ?? []) await removeContainer(client, c.Id);
    const message = await runServer(ctx, client, settings, desired, found?.current);
    return { ...base, outcome: 'applied', message };
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
  const image = await ensureImage(client, ref);
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
      await startReleasedPort(client, id);
    } catch (err) {
      await removeContainer(client, id).catch(() => undefined);
      throw err;
    }
    return `started ${ref}${pulled} as ${name} on ${where}`;
  }
  const next = await createContainer(client, `${name}.next`, body);
  const wasRunning = current.State.Running;
  try {
    await stopContainer(client, current.Id);
    await renameContainer(client, current.Id, `${name}.previous`);
  } catch (err) {
    await removeContainer(client, next).catch(() => undefined);
    if (wasRunning) await startReleasedPort(client, current.Id).catch(() => undefined);
    throw err;
  }
  try {
    await renameContainer(client, next, name);
    await startReleasedPort(client, next);
  } catch (err) {
    await removeContainer(client, next).catch(() => undefined);
    await renameContainer(client, current.Id, name);
    if (wasRunning) await startReleasedPort(client, current.Id);
    throw new McpGitopsError(
      'ERR_PROVIDER',
      `${explain(err)}; kept the previous container${wasRunning ? ', restarted' : ''}`,
    );
  }
  await removeContainer(client, current.Id);
  return `replaced ${name} with ${ref}${pulled} on ${where}`;
}

/** How long a start waits for a port the stopped container's engine side still holds. */
const PORT_RELEASE_MS = 10_000;

/**
 * Start a container; while its port is still held ("address already in use": the engine releases
 * the port of a container it just stopped a moment after the stop returns), try again, bounded.
 */
async function startReleasedPort(client: EngineClient, id: string): Promise<void> {
  const deadline = Date.now() + PORT_RELEASE_MS;
  for (;;) {
    try {
      await startContainer(client, id);
      return;
    } catch (err) {
      const busy = err instanceof Error && /address already in use/i.test(err.message);
      if (!busy || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function explain(err: unknown): string {
  if (isMcpGitopsError(err)) return err.hint ? `${err.message} (${err.hint})` : err.message;
  return err instanceof Error ? err.message : String(err);
}
