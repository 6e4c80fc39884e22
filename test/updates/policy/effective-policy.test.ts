import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RepositoryResource, ServerResource, UpdateRuleSpec } from '../../../src/core/resources.js';
import { effectivePolicy, ruleMatches } from '../../../src/updates/policy/effective-policy.js';

const server = (
  name: string,
  opts: {
    labels?: Record<string, string>;
    type?: 'npm' | 'pypi' | 'oci';
    updates?: ServerResource['spec']['updates'];
  } = {},
): ServerResource => ({
  apiVersion: 'mcp-gitops/v1',
  kind: 'Server',
  metadata: { name, ...(opts.labels ? { labels: opts.labels } : {}) },
  spec: {
    package: { registryType: opts.type ?? 'npm', identifier: 'x', version: '1.0.0' },
    transport: 'stdio',
    ...(opts.updates ? { updates: opts.updates } : {}),
  } as ServerResource['spec'],
});
const repo = (updates: RepositoryResource['spec']['updates'], policies?: string[]): RepositoryResource => ({
  apiVersion: 'mcp-gitops/v1',
  kind: 'Repository',
  metadata: { name: 'r' },
  spec: { branch: 'main', ...(policies ? { policies } : {}), ...(updates ? { updates } : {}) },
});

test('defaults: allow minor, nothing ignored, no minimum age, no prereleases, no digests', () => {
  assert.deepEqual(effectivePolicy(server('a'), undefined), {
    allow: 'minor',
    ignore: [],
    minimumReleaseAgeMs: 0,
    prereleases: false,
    requireDigest: false,
  });
});

test('rules match by server names, labels and registry types; no match selects all', () => {
  const rule = (match: UpdateRuleSpec['match']): UpdateRuleSpec => ({ match, allow: 'major' });
  assert.equal(ruleMatches({ allow: 'patch' }, server('a')), true);
  assert.equal(ruleMatches(rule({ servers: ['a', 'b'] }), server('a')), true);
  assert.equal(ruleMatches(rule({ servers: ['b'] }), server('a')), false);
  assert.equal(
    ruleMatches(rule({ labels: { tier: 'prod' } }), server('a', { labels: { tier: 'prod', x: 'y' } })),
    true,
  );
  assert.equal(
    ruleMatches(rule({ labels: { tier: 'prod' } }), server('a', { labels: { tier: 'dev' } })),
    false,
  );
  assert.equal(ruleMatches(rule({ registryTypes: ['oci'] }), server('a', { type: 'oci' })), true);
  assert.equal(ruleMatches(rule({ registryTypes: ['oci'] }), server('a')), false);
  assert.equal(ruleMatches(rule({ servers: ['a'], labels: { t: '1' } }), server('a')), false);
});

test('later matching rules win per field; the server own updates win over every rule', () => {
  const repository = repo({
    rules: [
      { allow: 'patch', group: 'all', minimumReleaseAge: '3d', ignore: ['1.5.0'] },
      { match: { labels: { tier: 'dev' } }, allow: 'major', schedule: '0 6 * * mon' },
      { match: { servers: ['other'] }, allow: 'none' },
    ],
  });
  const dev = effectivePolicy(server('a', { labels: { tier: 'dev' } }), repository);
  assert.deepEqual(dev, {
    allow: 'major',
    ignore: ['1.5.0'],
    minimumReleaseAgeMs: 3 * 86_400_000,
    prereleases: false,
    requireDigest: false,
    group: 'all',
    schedule: '0 6 * * mon',
  });
  const own = effectivePolicy(
    server('a', {
      labels: { tier: 'dev' },
      updates: { allow: 'minor', ignore: [], prereleases: true, registryEntry: 'io.github.o/n' },
    }),
    repository,
  );
  assert.equal(own.allow, 'minor');
  assert.deepEqual(own.ignore, []);
  assert.equal(own.prereleases, true);
  assert.equal(own.group, 'all');
  assert.equal(own.registryEntry, 'io.github.o/n');
  assert.equal(effectivePolicy(server('other'), repository).allow, 'none');
});

test('digests are required of OCI servers by requireDigests or the oci-digests policy', () => {
  assert.equal(
    effectivePolicy(server('a', { type: 'oci' }), repo({ requireDigests: true })).requireDigest,
    true,
  );
  assert.equal(
    effectivePolicy(server('a', { type: 'oci' }), repo(undefined, ['oci-digests'])).requireDigest,
    true,
  );
  assert.equal(
    effectivePolicy(server('a', { type: 'oci' }), repo(undefined, ['pinned-versions'])).requireDigest,
    false,
  );
  assert.equal(effectivePolicy(server('a'), repo({ requireDigests: true })).requireDigest, false);
});
