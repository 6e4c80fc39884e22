/**
 * The tool check's logic (pure: a table stands in for the file system) and its table against
 * `.ci/run`, which installs what the table names: the two must not drift apart.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { missingTools, missingToolsMessage, TOOLS, type Tool } from './require-tools.js';

const executables = (...paths: string[]) => {
  const set = new Set(paths);
  return (path: string) => set.has(path);
};

describe('missingTools', () => {
  test('finds a command in any PATH directory and an absolute path where the tests run it', () => {
    const exists = executables(
      '/opt/tools/podman',
      '/usr/bin/promtool',
      '/usr/sbin/sshd',
      '/sbin/start-stop-daemon',
    );
    assert.deepEqual(
      missingTools(['podman', 'promtool', 'sshd', 'start-stop-daemon'], '/usr/bin:/opt/tools', exists),
      [],
    );
  });

  test('names each missing tool once, in the order asked', () => {
    const exists = executables('/usr/bin/git');
    assert.deepEqual(missingTools(['promtool', 'git', 'podman', 'promtool'], '/usr/bin', exists), [
      'promtool',
      'podman',
    ]);
  });

  test('sshd and start-stop-daemon count only at their absolute paths, not anywhere on PATH', () => {
    const exists = executables('/usr/bin/sshd', '/usr/bin/start-stop-daemon');
    assert.deepEqual(missingTools(['sshd', 'start-stop-daemon'], '/usr/bin', exists), [
      'sshd',
      'start-stop-daemon',
    ]);
  });

  test('an empty PATH entry is not the current directory', () => {
    const exists = executables('podman');
    assert.deepEqual(missingTools(['podman'], ':', exists), ['podman']);
  });
});

describe('missingToolsMessage', () => {
  test('names each tool with its Debian packages, one install line, and .ci/run', () => {
    assert.equal(
      missingToolsMessage(['podman', 'promtool', 'prometheus']),
      [
        'This test file needs tools this machine does not have:',
        '  - podman (Debian packages podman runc catatonit)',
        '  - promtool (Debian package prometheus)',
        '  - prometheus (Debian package prometheus)',
        'Install them with: apt-get install podman runc catatonit prometheus',
        '.ci/run installs everything the tests need on a fresh Debian machine (then runs npm test).',
      ].join('\n'),
    );
  });
});

describe('the table matches .ci/run', () => {
  const ciRun = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
  // `command -v NAME >/dev/null || need_apt+=(PKG...)` or `[ -x PATH ] || need_apt+=(PKG...)`
  const installed = new Map<string, string[]>();
  for (const m of ciRun.matchAll(
    /^(?:command -v (\S+) >\/dev\/null|\[ -x (\S+) \]) \|\| need_apt\+=\(([^)]*)\)$/gm,
  )) {
    installed.set((m[1] ?? m[2])!, m[3]!.split(' '));
  }

  test('.ci/run installs every tool the table names, from the same packages, found the same way', () => {
    assert.ok(installed.size >= 8, `parsed .ci/run: ${[...installed.keys()].join(', ')}`);
    for (const [tool, spec] of Object.entries(TOOLS) as [Tool, (typeof TOOLS)[Tool]][]) {
      if (tool === 'prometheus') continue; // Same package as promtool, which .ci/run looks for.
      assert.deepEqual(installed.get(spec.find), [...spec.packages], `${tool} (${spec.find})`);
    }
    assert.deepEqual(installed.get(TOOLS.promtool.find), [...TOOLS.prometheus.packages]);
  });

  test('the table names every tool .ci/run installs', () => {
    const finds = new Set(Object.values(TOOLS).map((spec) => spec.find));
    for (const find of installed.keys()) assert.ok(finds.has(find), `${find} is installed by .ci/run`);
  });
});
