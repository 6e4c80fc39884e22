/**
 * Whether a container serves, how often its restart policy restarted it, and, when it does not
 * serve, why: its exit code, "keeps exiting (restarted N times; …)" for a crash loop, and its
 * last log lines (redacted). One answer for observe, verification's `exited` probe and the death
 * watcher.
 *
 * A crash loop under the restart policy looks "running" most of the time on Podman (it restarts
 * at once, resetting the exit code; RestartCount climbs by ~2 every 300 ms) and "restarting" on
 * Docker (restart backoff). So a container its policy has restarted is looked at again briefly,
 * unless it has been up for a while by the engine's own clock: if it restarts again (or is caught
 * down and then restarted) it is a crash loop; if it stays up it is serving, with its restart count;
 * if it stays down it is dead.
 */
import { redactor } from '../../log/redact.js';
import { envValues } from './container-env.js';
import { recordedSpec } from './container-labels.js';
import { type ContainerDetails, containerLogs, inspectContainerAt } from './engine-api.js';
import type { EngineClient } from './engine-client.js';

export interface ContainerHealth {
  /** Up now, or kept coming back by its restart policy (a crash loop is not drift to repair). */
  running: boolean;
  /** Restarts by the engine's restart policy since the container was created. */
  restarts: number;
  /** Why it does not serve, redacted; undefined while it serves. */
  down?: string;
}

/** Up this long by the engine's clock: a container that restarted earlier serves now. */
const STABLE_MS = 30_000;
const LOOK_EVERY_MS = 100;
const LOOK_FOR_MS = 1500;
/**
 * Enough lines to hold the end of the run that died: under a restart policy the next run may have
 * printed its start-up banner by the time the log is read, and a tail of five lines then showed
 * only that banner, not the error the server died with.
 */
const LOG_LINES = 20;
/** The joined lines are cut to their last this many characters (a reason, not a log viewer). */
const LOG_CHARS = 2000;

/**
 * `name` is what messages call it; `redact` registers a secret value (the container's own secret
 * variables are registered before its log lines are read, so they never leave unredacted).
 */
export async function containerHealth(
  client: EngineClient,
  name: string,
  found: { details: ContainerDetails; date?: number },
  redact: (value: string) => void,
): Promise<ContainerHealth> {
  let { details } = found;
  const restarts0 = details.RestartCount ?? 0;
  const policy = details.HostConfig.RestartPolicy?.Name ?? 'no';
  const restartable = policy !== '' && policy !== 'no';
  const upFor =
    found.date !== undefined ? found.date - Date.parse(details.State.StartedAt ?? '') : Number.NaN;
  const up = details.State.Running && !details.State.Restarting;
  if (up && (restarts0 === 0 || upFor > STABLE_MS)) return { running: true, restarts: restarts0 };
  let looping = details.State.Restarting === true;
  let caughtDown = up ? undefined : details;
  if (!looping && restartable && restarts0 > 0) {
    for (let waited = 0; waited < LOOK_FOR_MS; waited += LOOK_EVERY_MS) {
      await new Promise((resolve) => setTimeout(resolve, LOOK_EVERY_MS));
      const again = await inspectContainerAt(client, details.Id);
      if (!again) break;
      details = again.details;
      if (!details.State.Running || details.State.Restarting) caughtDown = details;
      if ((details.RestartCount ?? 0) > restarts0 || details.State.Restarting) looping = true;
      if (looping && caughtDown) break;
    }
  }
  const restarts = details.RestartCount ?? restarts0;
  if (!looping && details.State.Running) return { running: true, restarts };
  const state = looping
    ? `keeps exiting (restarted ${restarts} times${caughtDown ? `; last exit code ${caughtDown.State.ExitCode}` : ''})`
    : `is ${details.State.Status} (exit code ${details.State.ExitCode})` +
      (details.State.OOMKilled ? ' (out of memory)' : '') +
      (details.State.Error ? ` (${details.State.Error})` : '') +
      (restarts > 0 ? ` after ${restarts} restart${restarts === 1 ? '' : 's'}` : '');
  const lines = await lastLogLines(client, details, redact);
  const down = redactor.redact(`container ${name} ${state}${lines ? `; last log lines: ${lines}` : ''}`);
  return { running: looping, restarts, down };
}

/** The container's last log lines, one string, with its secret values registered first. */
export async function lastLogLines(
  client: EngineClient,
  details: ContainerDetails,
  redact: (value: string) => void,
): Promise<string> {
  const spec = recordedSpec(details.Config.Labels ?? {});
  const secrets = envValues(
    details.Config.Env ?? [],
    (spec?.secrets ?? []).map((s) => s.name),
  );
  for (const value of Object.values(secrets)) redact(value);
  const lines = await containerLogs(client, details.Id, LOG_LINES).catch(() => [] as string[]);
  const joined = redactor.redact(lines.join(' | '));
  return joined.length > LOG_CHARS ? `…${joined.slice(-LOG_CHARS)}` : joined;
}
