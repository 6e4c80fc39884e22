/** Pure parts of the container provider: settings, image references, render, create body, logs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ServerSpec, TargetSpec } from '../../../src/core/resources.js';
import {
  containerName,
  recordedSpec,
  serverLabels,
} from '../../../src/providers/container/container-labels.js';
import {
  containerSettings,
  validateContainerTarget,
} from '../../../src/providers/container/container-settings.js';
import { demuxLogs } from '../../../src/providers/container/demux-logs.js';
import { containerProvider } from '../../../src/providers/container/index.js';
import {
  createBody,
  imageRef,
  renderComparable,
  sameImage,
} from '../../../src/providers/container/render-container.js';

const target = (extra: Partial<TargetSpec> = {}): TargetSpec => ({
  name: 'box',
  provider: 'container',
  ...extra,
});

const spec: ServerSpec = {
  package: {
    registryType: 'oci',
    identifier: 'ghcr.io/acme/search',
    version: '1.4.2',
    packageArguments: ['serve'],
  },
  transport: 'streamable-http',
  port: 41234,
  env: { PORT: '41234', LOG_LEVEL: 'info' },
  secrets: [{ name: 'API_TOKEN', ref: 'env:SEARCH_TOKEN' }],
};

describe('container settings', () => {
  test('defaults: DOCKER_HOST when unix://, else /var/run/docker.sock; bind 127.0.0.1', () => {
    assert.deepEqual(containerSettings(target(), {}), {
      socketPath: '/var/run/docker.sock',
      bindAddress: '127.0.0.1',
    });
    assert.equal(
      containerSettings(target(), { DOCKER_HOST: 'unix:///run/user/1000/podman/podman.sock' }).socketPath,
      '/run/user/1000/podman/podman.sock',
    );
    assert.equal(
      containerSettings(target(), { DOCKER_HOST: 'tcp://10.0.0.1:2375' }).socketPath,
      '/var/run/docker.sock',
    );
    assert.deepEqual(
      containerSettings(
        target({ socket: 'unix:///run/podman/podman.sock', bindAddress: '10.1.2.3', network: 'mcp' }),
        {
          DOCKER_HOST: 'unix:///ignored.sock',
        },
      ),
      { socketPath: '/run/podman/podman.sock', bindAddress: '10.1.2.3', network: 'mcp' },
    );
  });

  test('on an ssh host the socket is a path on that host: DOCKER_HOST of this machine is never used', () => {
    const env = { DOCKER_HOST: 'unix:///run/user/1000/podman/podman.sock' };
    assert.equal(
      containerSettings(target({ host: 'ssh://deploy@vm:22' }), env).socketPath,
      '/var/run/docker.sock',
    );
    assert.equal(
      containerSettings(target({ host: 'ssh://deploy@vm:22', socket: 'unix:///run/podman/podman.sock' }), env)
        .socketPath,
      '/run/podman/podman.sock',
    );
    assert.equal(
      containerSettings(target({ host: 'local' }), env).socketPath,
      '/run/user/1000/podman/podman.sock',
    );
  });

  test('validateTarget accepts local and ssh sockets and rejects what it cannot use, saying what is supported', () => {
    assert.deepEqual(
      validateContainerTarget(target({ host: 'local', socket: '/run/podman/podman.sock' })),
      [],
    );
    const notUnix = (socket: string) =>
      `socket ${JSON.stringify(socket)} must be a unix socket on the target's host: unix:///path/to/engine.sock ` +
      'or an absolute path (default /var/run/docker.sock; on host: local, DOCKER_HOST when it is unix://)';
    assert.deepEqual(validateContainerTarget(target({ socket: 'tcp://10.0.0.1:2375' })), [
      notUnix('tcp://10.0.0.1:2375'),
    ]);
    // ssh can forward neither a relative path nor one with a colon.
    assert.deepEqual(
      validateContainerTarget(target({ host: 'ssh://deploy@vm:22', socket: 'run/podman.sock' })),
      [notUnix('run/podman.sock')],
    );
    assert.deepEqual(validateContainerTarget(target({ socket: '/run/a:b.sock' })), [
      notUnix('/run/a:b.sock'),
    ]);
    assert.deepEqual(
      validateContainerTarget(
        target({ host: 'ssh://deploy@vm:22', socket: 'unix:///run/podman/podman.sock' }),
      ),
      [],
    );
    assert.deepEqual(validateContainerTarget(target({ host: 'ssh://deploy@vm:22', multiplex: false })), [
      "multiplex: false does not work with the container provider on an ssh host: the engine socket and servers' ports are forwarded through the host's ssh control master",
    ]);
    assert.deepEqual(validateContainerTarget(target({ host: 'tcp://vm:2375' })), [
      'host "tcp://vm:2375" is not supported by the container provider: use local or ssh://user@host:port',
    ]);
    assert.deepEqual(validateContainerTarget(target({ network: 'bad name!', bindAddress: 'a b' })), [
      'bindAddress must be an IP address (default 127.0.0.1)',
      `network "bad name!" must be a network name (letters, digits, '_', '.', '-'), e.g. podman or bridge`,
    ]);
    assert.deepEqual(validateContainerTarget(target({ supervisor: 'systemd' })), [
      'supervisor is not a container setting (the container provider reads socket, bindAddress, network)',
    ]);
  });
});

describe('container rendering', () => {
  test('image references: tag, digest version, digest identifier', () => {
    assert.equal(imageRef(spec.package!), 'ghcr.io/acme/search:1.4.2');
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.equal(imageRef({ ...spec.package!, version: digest }), `ghcr.io/acme/search@${digest}`);
    assert.equal(
      imageRef({ ...spec.package!, identifier: `ghcr.io/acme/search@${digest}` }),
      `ghcr.io/acme/search@${digest}`,
    );
    assert.ok(sameImage('docker.io/library/redis:7', 'redis:7'));
    assert.ok(sameImage('localhost/x:1', 'x:1'));
    assert.ok(!sameImage('ghcr.io/a/x:1', 'ghcr.io/a/x:2'));
  });

  test('supports only streamable-http/sse oci servers with a port', () => {
    const supports = (s: ServerSpec) => containerProvider.supports(s, target());
    assert.equal(supports(spec), true);
    assert.equal(supports({ ...spec, transport: 'sse' }), true);
    assert.equal(supports({ ...spec, transport: 'stdio' }), false);
    assert.equal(supports({ ...spec, package: { ...spec.package!, registryType: 'npm' } }), false);
    assert.equal(supports({ ...spec, port: undefined }), false);
  });

  test('the comparable form names secret references, never values, with the target bindAddress', () => {
    assert.deepEqual(renderComparable(spec, '127.0.0.1'), {
      running: true,
      image: 'ghcr.io/acme/search:1.4.2',
      port: 41234,
      bindAddress: '127.0.0.1',
      path: '/mcp',
      env: { LOG_LEVEL: 'info', PORT: '41234' },
      secrets: { API_TOKEN: 'env:SEARCH_TOKEN' },
    });
    assert.equal(renderComparable({ ...spec, transport: 'sse' }, '127.0.0.1').path, '/sse');
  });

  test('the create body publishes the port on bindAddress with restart policy unless-stopped', () => {
    const labels = serverLabels(
      'prod',
      'box',
      { name: 'search', spec, specHash: 'abc' },
      imageRef(spec.package!),
    );
    const body = createBody('search', spec, {
      env: ['API_TOKEN=value-from-resolver', 'PORT=41234'],
      labels,
      bindAddress: '127.0.0.1',
      network: 'mcp',
    });
    assert.deepEqual(body, {
      Image: 'ghcr.io/acme/search:1.4.2',
      Env: ['API_TOKEN=value-from-resolver', 'PORT=41234'],
      Cmd: ['serve'],
      Labels: labels,
      ExposedPorts: { '41234/tcp': {} },
      HostConfig: {
        PortBindings: { '41234/tcp': [{ HostIp: '127.0.0.1', HostPort: '41234' }] },
        RestartPolicy: { Name: 'unless-stopped' },
        NetworkMode: 'mcp',
      },
    });
    assert.ok(!JSON.stringify(labels).includes('value-from-resolver'));
    assert.deepEqual(recordedSpec(labels), spec);
    assert.equal(labels['io.mcp-gitops.managed-by'], 'mcp-gitops');
    assert.equal(containerName('prod', 'box', 'search'), 'mcp-gitops_prod_box_search');
    assert.throws(
      () =>
        createBody(
          'search',
          { ...spec, package: { ...spec.package!, runtimeArguments: ['-v', '/:/host'] } },
          {
            env: [],
            labels,
            bindAddress: '127.0.0.1',
          },
        ),
      /package\.runtimeArguments are not supported by the container provider/,
    );
  });

  test('log responses: multiplexed frames are joined, raw text is kept', () => {
    const frame = (stream: number, text: string) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    assert.equal(demuxLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')])), 'out\nerr\n');
    assert.equal(demuxLogs(Buffer.from('plain tty text\n')), 'plain tty text\n');
    assert.equal(demuxLogs(Buffer.alloc(0)), '');
  });
});
