/** Where clients are told to reach a server another target of the environment serves. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ServerSpec, TargetSpec } from '../../../src/core/resources.js';
import type { DesiredServer, DesiredTarget } from '../../../src/core/state.js';
import { serverUrl } from '../../../src/providers/client-config/server-url.js';
import { desiredEnvironment, desiredTarget } from './desired.js';

const served: DesiredServer = {
  name: 'everything',
  specHash: 'h',
  spec: {
    package: { registryType: 'oci', identifier: 'ghcr.io/acme/everything', version: '1.2.3' },
    transport: 'streamable-http',
    port: 40311,
    path: '/mcp',
  } satisfies ServerSpec,
};

function target(
  name: string,
  provider: string,
  settings: Partial<TargetSpec> = {},
  host = 'local',
): DesiredTarget {
  return desiredTarget(name, provider, {
    settings: { host, ...settings },
    servers: provider === 'client-config' ? [] : [served],
    host,
  });
}

function urlFor(serving: DesiredTarget, laptop = target('laptop', 'client-config')): string | undefined {
  return serverUrl(served, laptop, desiredEnvironment([laptop, serving]));
}

describe('serverUrl for servers run by container targets', () => {
  test('a container target on this machine publishing on the default 127.0.0.1', () => {
    assert.equal(urlFor(target('box', 'container')), 'http://127.0.0.1:40311/mcp');
  });
  test('a specific bindAddress is where the port is published, so clients get it', () => {
    assert.equal(
      urlFor(target('box', 'container', { bindAddress: '10.20.0.5' })),
      'http://10.20.0.5:40311/mcp',
    );
    assert.equal(
      urlFor(target('box', 'container', { bindAddress: 'fd00::5' })),
      'http://[fd00::5]:40311/mcp',
    );
  });
  test('a wildcard bindAddress falls back to the host address', () => {
    assert.equal(
      urlFor(target('box', 'container', { bindAddress: '0.0.0.0' })),
      'http://127.0.0.1:40311/mcp',
    );
  });
  test('a container target on an ssh host: clients elsewhere get the host from the ssh URL', () => {
    const remote = (settings: Partial<TargetSpec> = {}) =>
      target('vm', 'container', settings, 'ssh://deploy@vm-1.internal:2222');
    assert.equal(urlFor(remote()), 'http://vm-1.internal:40311/mcp');
    assert.equal(urlFor(remote({ bindAddress: '0.0.0.0' })), 'http://vm-1.internal:40311/mcp');
    // 127.0.0.1 there is the host's own loopback, not this machine's.
    assert.equal(urlFor(remote({ bindAddress: '127.0.0.1' })), 'http://vm-1.internal:40311/mcp');
    assert.equal(urlFor(remote({ bindAddress: '10.20.0.5' })), 'http://10.20.0.5:40311/mcp');
    assert.equal(
      urlFor(target('vm', 'container', {}, 'ssh://deploy@[fd00::9]:22')),
      'http://[fd00::9]:40311/mcp',
    );
  });
  test('a client on the same ssh host as the container target reaches it on 127.0.0.1', () => {
    const host = 'ssh://deploy@vm-1.internal:22';
    const onVm = target('vm-clients', 'client-config', {}, host);
    assert.equal(
      urlFor(target('vm', 'container', { bindAddress: '127.0.0.1' }, host), onVm),
      'http://127.0.0.1:40311/mcp',
    );
    assert.equal(urlFor(target('vm', 'container', {}, host), onVm), 'http://127.0.0.1:40311/mcp');
  });
  test('process targets are unchanged: the ssh host name for a remote one', () => {
    assert.equal(
      urlFor(target('vm', 'process', { listenHost: '0.0.0.0' }, 'ssh://deploy@vm-1.internal:22')),
      'http://vm-1.internal:40311/mcp',
    );
  });
});
