/**
 * The Docker Engine API calls the container provider makes, typed to the fields it reads.
 * https://docs.docker.com/reference/api/engine/ — the same on Podman's compatible service.
 */
import { demuxLogs } from './demux-logs.js';
import type { EngineClient } from './engine-client.js';
import { engineError } from './engine-client.js';

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Labels: Record<string, string> | null;
  State: string;
}

export interface PortBinding {
  HostIp?: string;
  HostPort?: string;
}

export interface ContainerDetails {
  Id: string;
  Name: string;
  Config: {
    Image: string;
    Env: string[] | null;
    Labels: Record<string, string> | null;
    Cmd: string[] | null;
  };
  State: { Running: boolean; Status: string; ExitCode: number; Error?: string };
  /** Restarts by the restart policy since the container was created (a crash loop when > 0). */
  RestartCount?: number;
  HostConfig: {
    PortBindings: Record<string, PortBinding[] | null> | null;
    RestartPolicy?: { Name?: string };
    NetworkMode?: string;
  };
}

/** The body of `POST /containers/create` (the fields this provider sets). */
export interface ContainerCreateBody {
  Image: string;
  Env: string[];
  Cmd?: string[];
  Labels: Record<string, string>;
  ExposedPorts: Record<string, Record<string, never>>;
  HostConfig: {
    PortBindings: Record<string, PortBinding[]>;
    RestartPolicy: { Name: 'unless-stopped' };
    NetworkMode?: string;
  };
}

export async function ping(client: EngineClient): Promise<void> {
  await client.expect({ method: 'GET', path: '/_ping', timeoutMs: 10_000 }, [200]);
}

export async function engineVersion(client: EngineClient): Promise<string> {
  const v = await client.json<{ Version?: string; Components?: { Name?: string }[] }>({
    method: 'GET',
    path: '/version',
  });
  const podman = v.Components?.some((c) => /podman/i.test(c.Name ?? ''));
  return `${podman ? 'podman' : 'docker'} ${v.Version ?? 'unknown'}`;
}

/** Every container (running or not) that carries all of `labels`. */
export async function listContainers(
  client: EngineClient,
  labels: Record<string, string>,
): Promise<ContainerSummary[]> {
  const filters = JSON.stringify({ label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) });
  return client.json<ContainerSummary[]>({
    method: 'GET',
    path: '/containers/json',
    query: { all: true, filters },
  });
}

/** A container's details, or undefined when it is gone. */
export async function inspectContainer(
  client: EngineClient,
  id: string,
): Promise<ContainerDetails | undefined> {
  const req = { method: 'GET' as const, path: `/containers/${encodeURIComponent(id)}/json` };
  const res = await client.send(req);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw engineError(req, res);
  return JSON.parse(res.body.toString('utf8')) as ContainerDetails;
}

export async function createContainer(
  client: EngineClient,
  name: string,
  body: ContainerCreateBody,
): Promise<string> {
  const res = await client.json<{ Id: string }>({
    method: 'POST',
    path: '/containers/create',
    query: { name },
    body,
  });
  return res.Id;
}

export async function startContainer(client: EngineClient, id: string): Promise<void> {
  await client.expect({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/start` }, [204, 304]);
}

export async function stopContainer(client: EngineClient, id: string, timeoutSec = 10): Promise<void> {
  await client.expect(
    {
      method: 'POST',
      path: `/containers/${encodeURIComponent(id)}/stop`,
      query: { t: timeoutSec },
      timeoutMs: (timeoutSec + 20) * 1000,
    },
    [204, 304, 404],
  );
}

/**
 * Force-removes a container. A container its restart policy is restarting at that moment can
 * refuse ("could not be stopped: container state improper" from Podman): tried again, bounded.
 */
export async function removeContainer(client: EngineClient, id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.expect(
        { method: 'DELETE', path: `/containers/${encodeURIComponent(id)}`, query: { force: true, v: true } },
        [200, 204, 404],
      );
      return;
    } catch (err) {
      if (attempt >= REMOVE_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

const REMOVE_ATTEMPTS = 5;

export async function renameContainer(client: EngineClient, id: string, name: string): Promise<void> {
  await client.expect(
    { method: 'POST', path: `/containers/${encodeURIComponent(id)}/rename`, query: { name } },
    [200, 204],
  );
}

/** The last `tail` lines of a container's stdout and stderr, interleaved as written. */
export async function containerLogs(client: EngineClient, id: string, tail: number): Promise<string[]> {
  const req = {
    method: 'GET' as const,
    path: `/containers/${encodeURIComponent(id)}/logs`,
    query: { stdout: true, stderr: true, tail },
    timeoutMs: 10_000,
  };
  const res = await client.send(req);
  if (res.status !== 200) throw engineError(req, res);
  return demuxLogs(res.body)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(-tail);
}

export async function imageExists(client: EngineClient, ref: string): Promise<boolean> {
  const req = { method: 'GET' as const, path: `/images/${ref}/json` };
  const res = await client.send(req);
  if (res.status === 404) return false;
  if (res.status !== 200) throw engineError(req, res);
  return true;
}

/**
 * Pull an image. The engine streams JSON progress lines; a failure shows either as a non-200
 * status or as an `error` line in the stream. Returns the error text, or undefined on success.
 */
export async function pullImage(
  client: EngineClient,
  ref: string,
  timeoutMs: number,
): Promise<string | undefined> {
  const req = { method: 'POST' as const, path: '/images/create', query: { fromImage: ref }, timeoutMs };
  const res = await client.send(req);
  if (res.status !== 200) return engineError(req, res).message;
  for (const line of res.body.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const event = JSON.parse(line) as { error?: unknown; errorDetail?: { message?: unknown } };
      const error = event.errorDetail?.message ?? event.error;
      if (typeof error === 'string' && error) return error;
    } catch {
      // progress output that is not JSON: ignore
    }
  }
  return undefined;
}
