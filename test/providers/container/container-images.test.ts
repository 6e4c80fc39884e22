/**
 * Images on a container target: pulled in apply from a real loopback registry (Debian's
 * docker-registry), with progress lines, before any verification; a failed pull says "could not
 * pull IMAGE: <engine's reason>"; and images do not pile up. Version bumps of one server keep the
 * image of the desired version and of the last two it ran before, and remove older images
 * mcp-gitops pulled, each removal named in the change's message; an image the user pulled
 * themselves, or one a container uses, is never removed; after a delete the server's last two
 * versions stay (a rollback runs them again).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../../src/log/logger.js';
import { EngineClient } from '../../../src/providers/container/engine-client.js';
import { readRecord } from '../../../src/providers/container/image-record.js';
import { containerProvider } from '../../../src/providers/container/index.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { tempDir } from '../../helpers/mcp-servers.js';
import {
  ensureEverythingImage,
  type PodmanService,
  podman,
  removeContainersWithLabel,
  startPodmanService,
  uncommonPort,
} from '../../helpers/podman.js';
import { requireTools } from '../../helpers/require-tools.js';
import { change, containerContext, desiredServer, everythingServer } from './fixtures.js';
import {
  imagePresent,
  pushVersions,
  type Registry,
  removeRepositoryImages,
  startRegistry,
} from './registry.js';

requireTools('podman', 'docker-registry');

const ENV = 'cimg';
const VERSIONS = ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'];

describe('images on a container target: pulled in apply, never piled up', { timeout: 300_000 }, () => {
  const cleanups: (() => unknown)[] = [];
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => logLines.push(line) },
  });
  const handmade = `handmade-${randomBytes(4).toString('hex')}`;
  let registry: Registry;
  let service: PodmanService;
  let repository: string;
  let home: string;
  let port: number;

  const ref = (version: string) => `${repository}:${version}`;
  const server = (version: string) =>
    everythingServer('everything', port, {
      package: { registryType: 'oci', identifier: repository, version },
      health: { expectTools: ['echo'], timeoutMs: 20_000 },
    });
  const ctxFor = (servers = [server('v0')]) =>
    containerContext({ home, socket: service.socket, environment: ENV, servers, logger });
  const bump = async (version: string) => {
    const desired = server(version);
    const result = await containerProvider.apply(ctxFor([desired]), change('update', 'everything', desired));
    assert.equal(result.outcome, 'applied', result.message);
    return result.message ?? '';
  };
  const present = async () => {
    const found: string[] = [];
    for (const v of VERSIONS) if (await imagePresent(ref(v))) found.push(v);
    return found;
  };

  before(async () => {
    const base = await ensureEverythingImage();
    registry = await startRegistry();
    cleanups.push(() => registry.stop());
    repository = await pushVersions(registry, base, `prune-${randomBytes(4).toString('hex')}`, VERSIONS);
    cleanups.push(() => removeRepositoryImages(repository));
    service = await startPodmanService({ registriesConf: registry.registriesConf });
    home = await tempDir({ after: (fn) => cleanups.push(fn) });
    port = await uncommonPort();
    // The user pulled v0 themselves: mcp-gitops did not pull it and never removes it.
    await podman(['pull', '--tls-verify=false', ref('v0')], 120_000);
  });
  after(async () => {
    await podman(['rm', '-f', '-t', '0', handmade]).catch(() => undefined);
    await removeContainersWithLabel(`io.mcp-gitops.environment=${ENV}`).catch(() => undefined);
    await service?.stop();
    for (const fn of cleanups.reverse()) await fn();
  });

  test("the user's own image is used as it is, not recorded as pulled", async () => {
    const desired = server('v0');
    const result = await containerProvider.apply(ctxFor([desired]), change('create', 'everything', desired));
    assert.equal(result.outcome, 'applied', result.message);
    assert.doesNotMatch(result.message ?? '', /pulled/);
    const record = await readRecord(new EngineClient(service.socket), ENV, 'box');
    assert.deepEqual(record, { pulled: [], ran: { everything: [ref('v0')] } });
  });

  test('a missing image is pulled in apply, with progress lines, before the server is verified', async () => {
    logLines.length = 0;
    const message = await bump('v1');
    assert.match(message, new RegExp(`^replaced \\S+ with ${escapeRe(ref('v1'))} \\(pulled\\)`));
    const logged = logLines.map((l) => JSON.parse(l).msg as string);
    assert.ok(logged.includes(`pulling image ${ref('v1')}`), logged.join('\n'));
    assert.ok(
      logged.some((m) => new RegExp(`^pulled image ${escapeRe(ref('v1'))} in \\d+\\.\\d s$`).test(m)),
      logged.join('\n'),
    );
    const endpoint = await containerProvider.endpoint(ctxFor([server('v1')]), server('v1'));
    const verified = await verifyServer(endpoint!, { expectTools: ['echo'], timeoutMs: 20_000 });
    assert.equal(verified.health, 'healthy', verified.error);
  });

  test('bumps keep the desired version and the last two before it; older pulled images are removed', async () => {
    assert.doesNotMatch(await bump('v2'), /removed/);
    assert.doesNotMatch(await bump('v3'), /removed/);
    const message = await bump('v4');
    assert.match(message, new RegExp(`; removed unused images mcp-gitops pulled: ${escapeRe(ref('v1'))}$`));
    assert.deepEqual(await present(), ['v0', 'v2', 'v3', 'v4'], 'v0 is the user’s: kept though old');
    const record = await readRecord(new EngineClient(service.socket), ENV, 'box');
    assert.deepEqual(record.pulled, [ref('v2'), ref('v3'), ref('v4')]);
    assert.deepEqual(record.ran.everything?.slice(0, 5), ['v4', 'v3', 'v2', 'v1', 'v0'].map(ref));
  });

  test('an image a container uses is never removed, owned by mcp-gitops or not', async () => {
    await podman(['run', '-d', '--name', handmade, ref('v2'), 'streamableHttp']);
    const message = await bump('v5');
    assert.doesNotMatch(message, /removed/);
    assert.deepEqual(await present(), ['v0', 'v2', 'v3', 'v4', 'v5']);
    await podman(['rm', '-f', '-t', '0', handmade]);
  });

  test('after a delete, the last two versions stay for a rollback; older ones go', async () => {
    const ctx = ctxFor([]); // the server is gone from the repo
    const result = await containerProvider.apply(ctx, change('delete', 'everything'));
    assert.equal(result.outcome, 'applied', result.message);
    assert.equal(
      result.message,
      `container removed; removed unused images mcp-gitops pulled: ${ref('v2')}, ${ref('v3')}`,
    );
    assert.deepEqual(await present(), ['v0', 'v4', 'v5']);
  });

  test('a pull that fails says "could not pull IMAGE" with the engine reason, not a timeout', async () => {
    const missing = `127.0.0.1:${registry.closedPort}/nothing`;
    const desired = desiredServer('nothing', {
      ...server('v0').spec,
      package: { registryType: 'oci', identifier: missing, version: '1' },
    });
    const result = await containerProvider.apply(ctxFor([desired]), change('create', 'nothing', desired));
    assert.equal(result.outcome, 'failed');
    assert.match(
      result.message ?? '',
      new RegExp(`^could not pull ${escapeRe(missing)}:1: .*connection refused`),
    );
    assert.doesNotMatch(result.message ?? '', /MCP|timed out|within/);
    const unknownTag = server('no-such-version');
    const unknown = await containerProvider.apply(
      ctxFor([unknownTag]),
      change('create', 'everything', unknownTag),
    );
    assert.equal(unknown.outcome, 'failed');
    assert.match(
      unknown.message ?? '',
      new RegExp(`^could not pull ${escapeRe(ref('no-such-version'))}: .*manifest unknown`),
    );
  });
});

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
