import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Change, FieldDiff } from '../../src/core/plan.js';
import { envTagName, envTagPrefix, parseEnvTags } from '../../src/version/env-tags.js';
import { isRepair, nextVersion } from '../../src/version/next-version.js';

function change(action: Change['action'], diffs: FieldDiff[] = [], extra: Partial<Change> = {}): Change {
  return { environment: 'dev', target: 'laptop', server: 'memory', action, reason: 'spec', diffs, ...extra };
}
const none = { addedTargets: [] };

describe('nextVersion', () => {
  test('the first release is 1.0.0', () => {
    assert.deepEqual(nextVersion(undefined, [change('create')], 'dev', none), {
      version: '1.0.0',
      bump: 'major',
      reasons: ['first release of dev'],
    });
  });

  test('nothing applied, no version: noops, skipped drift and other environments do not count', () => {
    const applied = [
      change('noop'),
      change('update', [], { reason: 'drift', skipApply: true }),
      change('create', [], { environment: 'prod' }),
    ];
    assert.equal(nextVersion('1.2.3', applied, 'dev', none), undefined);
    assert.equal(nextVersion(undefined, [], 'dev', none), undefined);
  });

  test('major: a server removed, a transport changed, a package major raised', () => {
    assert.equal(nextVersion('1.2.3', [change('delete')], 'dev', none)?.version, '2.0.0');
    const transport = nextVersion(
      '1.2.3',
      [change('update', [{ path: 'transport', before: 'stdio', after: 'sse' }])],
      'dev',
      none,
    );
    assert.deepEqual(transport, {
      version: '2.0.0',
      bump: 'major',
      reasons: ['memory on laptop: transport stdio → sse'],
    });
    const pkg = [change('update', [{ path: 'package.version', before: '1.9.0', after: '2.0.1' }])];
    assert.equal(nextVersion('1.2.3', pkg, 'dev', none)?.bump, 'major');
  });

  test('minor: a server or target added, a package minor raised', () => {
    assert.equal(nextVersion('1.2.3', [change('create')], 'dev', none)?.version, '1.3.0');
    const target = nextVersion('1.2.3', [change('update')], 'dev', { addedTargets: ['vm-1'] });
    assert.deepEqual(target, { version: '1.3.0', bump: 'minor', reasons: ['target vm-1 added'] });
    const pkg = [change('update', [{ path: 'package.version', before: '2026.8.31', after: '2026.9.1' }])];
    assert.equal(nextVersion('1.2.3', pkg, 'dev', none)?.bump, 'minor');
  });

  test('patch: anything else, including a package downgrade or patch raise', () => {
    const applied = [
      change('update', [{ path: 'env.LOG_LEVEL', before: 'info', after: 'debug' }]),
      change('update', [{ path: 'package.version', before: '1.2.0', after: '1.2.5' }], { server: 'fetch' }),
    ];
    assert.deepEqual(nextVersion('1.2.3', applied, 'dev', none), {
      version: '1.2.4',
      bump: 'patch',
      reasons: ['memory on laptop updated', 'fetch on laptop updated'],
    });
  });

  test('repairs are not releases: drift corrected (a hand edit, a dead process restarted) makes no version', () => {
    const drift = [
      change('update', [{ path: 'entry.args[1]', before: 'a', after: 'b' }], { reason: 'drift' }),
      change('update', [{ path: 'running', before: false, after: true }], { server: 'web', reason: 'drift' }),
    ];
    assert.ok(drift.every((c) => isRepair(c)));
    assert.equal(nextVersion('1.2.3', drift, 'dev', none), undefined);
    assert.equal(nextVersion('1.2.3', drift, 'dev', { addedTargets: ['vm-1'] }), undefined);
    // A spec change still releases; the repairs beside it give no reason of their own.
    const mixed = [
      ...drift,
      change('update', [{ path: 'env.LEVEL', before: 'a', after: 'b' }], { server: 'time' }),
    ];
    assert.deepEqual(nextVersion('1.2.3', mixed, 'dev', none), {
      version: '1.2.4',
      bump: 'patch',
      reasons: ['time on laptop updated'],
    });
  });

  test('the highest bump wins and only its reasons are given', () => {
    const r = nextVersion(
      '1.2.3',
      [change('update'), change('create', [], { server: 'new' }), change('delete', [], { server: 'old' })],
      'dev',
      none,
    );
    assert.deepEqual(r, { version: '2.0.0', bump: 'major', reasons: ['server old on laptop removed'] });
  });

  test('a previous version that is not semver is an error with a hint', () => {
    assert.throws(() => nextVersion('banana', [change('create')], 'dev', none), /not semver/);
  });
});

describe('environment tags', () => {
  test('the latest release among an environment tags', () => {
    const tags = [
      'dev/v1.0.0',
      'dev/v1.10.0',
      'dev/v1.9.3',
      'dev/v2.0.0-rc.1',
      'prod/v3.0.0',
      'dev/vx',
      'devel/v9.0.0',
    ];
    assert.equal(parseEnvTags(tags, 'dev/v'), '1.10.0');
    assert.equal(parseEnvTags(tags, 'staging/v'), undefined);
  });

  test('the prefix template renders per environment', () => {
    assert.equal(envTagPrefix('{{environment.name}}/v', 'prod'), 'prod/v');
    assert.equal(envTagName('prod/v', '1.4.0'), 'prod/v1.4.0');
    assert.throws(() => envTagPrefix('{{environment.nope}}/v', 'prod'));
  });
});
