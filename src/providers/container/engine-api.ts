/**
 * The Docker Engine API calls the container provider makes, typed to the fields it reads.
 * https://docs.docker.com/reference/api/engine/ — the same on Podman's compatible service.
 */
import { demuxLogs } from './demux-logs.js';
import type { EngineClient } from './engine-client.js';
import { engineError } from './engine-client.js';
import { expectExit, settleExpectedExit } from './expected-exits.js';

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
  /** The image's id (`sha256:…`). */
  Image?: string;
  State: {
    Running: boolean;
    Status: string;
    ExitCode: number;
    Error?: string;
    /** Docker: waiting to be restarted by its policy (a crash loop under backoff). */
    Restarting?: boolean;
    OOMKilled?: boolean;
    /** RFC 3339 on the engine's clock. */
    StartedAt?: string;
    FinishedAt?: string;
  };
  /** Restarts by the restart policy since the container was created. */
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
  return (await inspectContainerAt(client, id))?.details;
}

/** A container's details and the engine's clock when it answered (ms), or undefined when gone. */
export async function inspectContainerAt(
  client: EngineClient,
  id: string,
): Promise<{ details: ContainerDetails; date?: number } | undefined> {
  const req = { method: 'GET' as const, path: `/containers/${encodeURIComponent(id)}/json` };
  const res = await client.send(req);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw engineError(req, res);
  const details = JSON.parse(res.body.toString('utf8')) as ContainerDetails;
  return { details, ...(res.date === undefined ? {} : { date: res.date }) };
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
  expectExit(id);
  try {
    await stopRequest(client, id, timeoutSec);
  } finally {
    settleExpectedExit(id);
  }
}

async function stopRequest(client: EngineClient, id: string, timeoutSec: number): Promise<void> {
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
  expectExit(id);
  try {
    await removeRequest(client, id);
  } finally {
    settleExpectedExit(id);
  }
}

async function removeRequest(client: EngineClient, id: string): Promise<void> {
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
