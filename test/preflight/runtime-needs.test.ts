/** Which program each provider needs for a server (pure): one line per case. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServerSpec } from '../../src/core/resources.js';
import { runtimeNeeds } from '../../src/preflight/runtime-needs.js';

const pkg = (
  registryType: 'npm' | 'pypi' | 'oci',
  transport: ServerSpec['transport'] = 'stdio',
): ServerSpec => ({
  package: { registryType, identifier: 'x', version: '1.0.0' },
  transport,
});
const cmd = (path: string, transport: ServerSpec['transport'] = 'stdio'): ServerSpec => ({
  command: { path },
  transport,
});

test('programs per provider and server', () => {
  const cases: [string, ServerSpec, string[]][] = [
    ['client-config', pkg('npm'), ['npx']],
    ['client-config', pkg('pypi'), ['uvx']],
    ['client-config', pkg('oci'), ['docker']],
    ['client-config', pkg('npm', 'streamable-http'), []],
    ['client-config', { remote: { url: 'https://x/mcp' }, transport: 'streamable-http' }, []],
    ['client-config', cmd('python3'), ['python3']],
    ['client-config', cmd('/opt/bin/server'), ['/opt/bin/server']],
    ['client-config', cmd('~/bin/server'), ['~/bin/server']],
    ['client-config', cmd('./bin/server'), []],
    ['process', pkg('npm', 'streamable-http'), ['npm']],
    ['process', cmd('/usr/bin/node', 'streamable-http'), ['/usr/bin/node']],
    ['container', pkg('oci', 'streamable-http'), []],
    ['kubernetes', pkg('oci', 'streamable-http'), []],
  ];
  for (const [provider, spec, programs] of cases)
    assert.deepEqual(
      runtimeNeeds(provider, spec).map((n) => n.program),
      programs,
      `${provider} ${JSON.stringify(spec)}`,
    );
  assert.deepEqual(runtimeNeeds('client-config', pkg('pypi'))[0]?.field, ['package', 'registryType']);
  assert.deepEqual(runtimeNeeds('process', cmd('node', 'sse'))[0]?.field, ['command', 'path']);
});
