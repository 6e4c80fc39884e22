/**
 * serverUrl finds a served server by name through an index of the serving target's list: the
 * first server of a name wins (as a linear search), a list that grew is indexed again, and a
 * target of thousands of servers is answered for each of them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DesiredServer } from '../../../src/core/state.js';
import { serverUrl } from '../../../src/providers/client-config/server-url.js';
import { desiredEnvironment, desiredTarget } from './desired.js';

const http = (name: string, port: number): DesiredServer => ({
  name,
  specHash: name,
  spec: {
    package: { registryType: 'npm', identifier: 'srv', version: '1.0.0' },
    transport: 'streamable-http',
    port,
  },
});

function setup(servers: DesiredServer[]) {
  const laptop = desiredTarget('laptop', 'client-config');
  const services = desiredTarget('services', 'process', { host: 'ssh://deploy@vm-1:22', servers });
  return { laptop, services, environment: desiredEnvironment([laptop, services]) };
}

test('the first served server of a name gives the URL, for every server of a big target', () => {
  const servers = Array.from({ length: 5000 }, (_, i) => http(`s-${i}`, 20000 + i));
  servers.push(http('s-7', 1));
  const { laptop, environment } = setup(servers);
  for (let i = 0; i < 5000; i++)
    assert.equal(serverUrl(http(`s-${i}`, 0), laptop, environment), `http://vm-1:${20000 + i}/mcp`);
  assert.equal(serverUrl(http('absent', 0), laptop, environment), undefined);
});

test('a server added to the list after a lookup is found', () => {
  const { laptop, services, environment } = setup([http('a', 30001)]);
  assert.equal(serverUrl(http('b', 0), laptop, environment), undefined);
  services.servers.push(http('b', 30002));
  assert.equal(serverUrl(http('b', 0), laptop, environment), 'http://vm-1:30002/mcp');
});
