/**
 * Observe renders each inventory server's expected entries and plan renders the desired server
 * next: that second rendering is the first one's result when every input is the same, handed out
 * once, and a fresh rendering (equal to what rendering from scratch gives) whenever an input
 * differs: another spec, environment, target or client list, or values to materialize.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DesiredEnvironment, DesiredServer, DesiredTarget } from '../../../src/core/state.js';
import { renderAndRemember, renderEntries } from '../../../src/providers/client-config/render-entries.js';
import { desiredEnvironment, desiredTarget } from './desired.js';

const server: DesiredServer = {
  name: 'memory',
  specHash: 'h1',
  spec: {
    package: { registryType: 'npm', identifier: '@modelcontextprotocol/server-memory', version: '1.0.0' },
    transport: 'stdio',
    env: { DATA: '~/data' },
    secrets: [{ name: 'API_TOKEN', ref: 'env:MEMORY_TOKEN' }],
  },
};

function setup(): { target: DesiredTarget; environment: DesiredEnvironment } {
  const target = desiredTarget('laptop', 'client-config', {
    settings: { home: '/home/u', clients: ['claude-code', 'cursor'] },
    servers: [server],
  });
  return { target, environment: desiredEnvironment([target]) };
}

/** The same server as another object, as observe builds it from the inventory. */
const copy = (s: DesiredServer): DesiredServer => JSON.parse(JSON.stringify(s));

describe('renderEntries after observe', () => {
  test('reuses the observed rendering once when every input is the same', () => {
    const { target, environment } = setup();
    const fresh = renderEntries(server, target, environment);
    const observed = renderAndRemember(copy(server), target, environment);
    assert.deepEqual(observed, fresh);
    assert.equal(
      observed['claude-code']?.env && (observed['claude-code'].env as Record<string, string>).DATA,
      '/home/u/data',
    );
    const planned = renderEntries(server, target, environment);
    assert.equal(planned, observed, 'the plan gets the observed rendering');
    const again = renderEntries(server, target, environment);
    assert.notEqual(again, observed, 'handed out once');
    assert.deepEqual(again, fresh);
  });

  test('renders again when an input differs', () => {
    const { target, environment } = setup();
    const changed: DesiredServer = { ...server, spec: { ...server.spec, env: { DATA: '/srv' } } };
    const observed = renderAndRemember(server, target, environment);
    const planned = renderEntries(changed, target, environment);
    assert.notEqual(planned, observed);
    assert.deepEqual(planned, renderEntries(changed, setup().target, environment));

    renderAndRemember(server, target, environment);
    const other = setup();
    assert.notEqual(renderEntries(server, target, other.environment), observed);

    renderAndRemember(server, target, environment);
    const withValues = renderEntries(server, target, environment, { API_TOKEN: 'v' });
    assert.notEqual(withValues, observed);

    const referenced = renderAndRemember(server, target, environment);
    target.settings = { ...target.settings, materializeSecrets: true };
    const materialized = renderEntries(server, target, environment);
    assert.notEqual(materialized, referenced);
    assert.deepEqual(materialized.cursor?.env, { DATA: '/home/u/data', API_TOKEN: '[materialized secret]' });

    const before = renderAndRemember(server, target, environment);
    target.settings = { ...target.settings, clients: ['claude-code'] };
    const narrowed = renderEntries(server, target, environment);
    assert.notEqual(narrowed, before);
    assert.deepEqual(Object.keys(narrowed), ['claude-code']);
  });
});
