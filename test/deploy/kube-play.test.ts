/**
 * The quickstart's HTTP server (examples/quickstart/servers/everything-container.yaml), placed on
 * a kubernetes target and rendered by the provider's own renderManifests, runs under
 * `podman kube play` and answers MCP. The API server the other tests use has no kubelet, so this
 * is where the rendered pod actually starts: as a non-root user, on a read-only root filesystem
 * with /tmp on an emptyDir, no privilege escalation, all capabilities dropped.
 *
 * The only changes to the rendered Deployment: the image is the offline test image
 * (test/helpers/podman.ts, the same server-everything; an environment override of `package`, as a
 * team would point an environment at its own registry) and the container port gets a hostPort on
 * 127.0.0.1 (podman 4.3's kube play has no --publish), so the test can reach it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parse, stringify } from 'yaml';
import { waitFor } from '../helpers/mcp-servers.js';
import { ensureEverythingImage, everythingImage, podman, uncommonPort } from '../helpers/podman.js';
import { requireTools } from '../helpers/require-tools.js';
import { quickstartServerFile, renderQuickstartServer } from './render-quickstart.js';

const serverFile = quickstartServerFile('everything-container');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-kube-play-'));
const yamlFile = path.join(tmp, 'deployment.yaml');
/** The image's files are root's and world-readable; the server runs as this user. */
const UID = 10001;

let hostPort = 0;
let deployment: { metadata: { name: string }; spec: { template: { spec: PodSpec } } };
interface PodSpec {
  containers: {
    name: string;
    ports: { containerPort: number; hostPort?: number; hostIP?: string }[];
    securityContext: Record<string, unknown>;
  }[];
}
let played = false;
/** The server's container, by the id `podman kube play` printed. */
let containerId = '';

before(async () => {
  requireTools('podman');
  await ensureEverythingImage();
  const image = everythingImage();
  // The test image in place of the quickstart's (an environment pointing at its own registry),
  // and its user by number: the image's files are root's and world-readable.
  const rendered = renderQuickstartServer(
    'everything-container',
    'mcp-servers',
    `{ package: { registryType: oci, identifier: ${image.identifier}, version: "${image.version}" }, kubernetes: { securityContext: { runAsUser: ${UID}, runAsGroup: ${UID} } } }`,
  );
  deployment = structuredClone(rendered.deployment) as typeof deployment;
  hostPort = await uncommonPort();
  for (const port of deployment.spec.template.spec.containers[0]?.ports ?? []) {
    Object.assign(port, { hostPort, hostIP: '127.0.0.1' });
  }
  fs.writeFileSync(yamlFile, stringify(deployment, { aliasDuplicateObjects: false }));
  const output = await podman(['kube', 'play', yamlFile], 180_000);
  played = true;
  // "Pod:\n<id>\nContainer:\n<id>": the one container this Deployment has.
  containerId = /^Container:\s*\n([0-9a-f]{64})$/m.exec(output)?.[1] ?? '';
  assert.ok(containerId, output);
});

after(async () => {
  try {
    if (played) await podman(['kube', 'down', yamlFile], 120_000);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('the rendered Deployment answers MCP: initialize and tools/list with the tools the quickstart expects', async () => {
  const spec = (
    parse(fs.readFileSync(serverFile, 'utf8')) as {
      spec: { path: string; health: { expectTools: string[] } };
    }
  ).spec;
  const url = new URL(`http://127.0.0.1:${hostPort}${spec.path}`);
  const tools = await waitFor(
    async () => {
      const client = new Client({ name: 'kube-play-test', version: '1.0.0' });
      try {
        await client.connect(new StreamableHTTPClientTransport(url));
        const info = client.getServerVersion();
        const listed = await client.listTools();
        return info ? listed.tools.map((t) => t.name) : undefined;
      } catch {
        return undefined;
      } finally {
        await client.close().catch(() => {});
      }
    },
    { timeoutMs: 60_000, intervalMs: 500, what: `MCP at ${url}` },
  );
  for (const name of spec.health.expectTools)
    assert.ok(tools.includes(name), `${name} in ${tools.join(', ')}`);
});

test('the server runs as non-root on a read-only root filesystem, /tmp its own mount, no privilege escalation', async () => {
  const security = deployment.spec.template.spec.containers[0]?.securityContext;
  assert.equal(security?.readOnlyRootFilesystem, true);
  assert.equal(security?.allowPrivilegeEscalation, false);
  const name = containerId;
  const probe = await podman([
    'exec',
    name,
    '/usr/bin/node',
    '-e',
    `const fs = require('node:fs');
     const tryWrite = (f) => { try { fs.writeFileSync(f, 'x'); return 'ok'; } catch (e) { return e.code; } };
     const status = fs.readFileSync('/proc/self/status', 'utf8');
     console.log(JSON.stringify({
       uid: process.getuid(), gid: process.getgid(),
       root: tryWrite('/written-by-test'),
       tmpMount: fs.readFileSync('/proc/self/mounts', 'utf8').split('\\n').map((l) => l.split(' '))
         .filter((f) => f[1] === '/tmp').map((f) => f[3].split(',')[0]),
       rootMount: fs.readFileSync('/proc/self/mounts', 'utf8').split('\\n').map((l) => l.split(' '))
         .filter((f) => f[1] === '/').map((f) => f[3].split(',')[0]),
       noNewPrivs: /NoNewPrivs:\\s*1/.test(status), capEff: /CapEff:\\s*(\\S+)/.exec(status)[1],
     }));`,
  ]);
  assert.deepEqual(JSON.parse(probe), {
    uid: UID,
    gid: UID,
    root: 'EROFS',
    rootMount: ['ro'],
    // The emptyDir: its own read-write mount. (Kubernetes makes an emptyDir mode 0777; podman
    // makes it root's 0755, so whether this user may write there is not podman's answer to give.)
    tmpMount: ['rw'],
    noNewPrivs: true,
    capEff: '0000000000000000',
  });
  // The server process itself (not only the exec'd probe) runs as that user.
  const user = await podman(['top', name, 'user', 'args']);
  const serverLine = user.split('\n').find((l) => l.includes('server-everything'));
  assert.ok(serverLine, user);
  assert.ok(!/^root\b/.test(serverLine.trim()), serverLine);
});
