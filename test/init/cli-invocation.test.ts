/** Which command `init` names: pure decisions on the facts, and the PATH npm would show it. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeInvocation,
  type InvocationFacts,
  installLines,
  isInside,
  shellWord,
} from '../../src/init/cli-invocation.js';
import { userPathDirs } from '../../src/init/detect-invocation.js';

const facts: InvocationFacts = {
  onPath: false,
  targetDir: '/home/ann/my-mcp',
  productRoot: '/home/ann/src/mcp-gitops',
  binScript: '/home/ann/src/mcp-gitops/bin/mcp-gitops.js',
  checkout: true,
  version: '0.1.0',
};

describe('the command init names', () => {
  test('mcp-gitops itself when it is on PATH, with nothing to install', () => {
    assert.deepEqual(describeInvocation({ ...facts, onPath: true, npxProject: '/home/ann' }), {
      kind: 'path',
      command: 'mcp-gitops',
      install: [],
    });
  });

  test('npx only for a repo inside the project whose npx found this package', () => {
    const inProject = describeInvocation({
      ...facts,
      npxProject: '/home/ann',
      targetDir: '/home/ann/infra/mcp',
    });
    assert.equal(inProject.command, 'npx mcp-gitops');
    const outside = describeInvocation({
      ...facts,
      npxProject: '/home/ann/app',
      targetDir: '/home/ann/my-mcp',
    });
    assert.equal(outside.command, 'node /home/ann/src/mcp-gitops/bin/mcp-gitops.js');
  });

  test('otherwise node with the bin script, quoted for the shell when it must be', () => {
    const spaced = describeInvocation({ ...facts, binScript: "/Users/o'neil/my tools/bin/mcp-gitops.js" });
    assert.equal(spaced.command, `node '/Users/o'\\''neil/my tools/bin/mcp-gitops.js'`);
  });

  test('how to install: from the checkout, from a global prefix, or from the repository', () => {
    assert.deepEqual(installLines(facts), [
      'mcp-gitops is not on your PATH. To put it there, in its checkout (/home/ann/src/mcp-gitops):',
      '  npm pack && npm install -g ./mcp-gitops-0.1.0.tgz    # or: npm link',
    ]);
    assert.deepEqual(
      installLines({ ...facts, checkout: false, productRoot: '/opt/npm/lib/node_modules/mcp-gitops' }),
      ['mcp-gitops is not on your PATH: add /opt/npm/bin (where npm installed it) to PATH.'],
    );
    assert.match(
      installLines({ ...facts, checkout: false, productRoot: '/w/app/node_modules/mcp-gitops' }).join('\n'),
      /in a checkout of its repository:\n {2}npm ci && npm pack && npm install -g \.\/mcp-gitops-0\.1\.0\.tgz/,
    );
  });
});

describe('helpers', () => {
  test('isInside: the folder itself and below, not a sibling with the same prefix', () => {
    assert.ok(isInside('/a/b', '/a/b'));
    assert.ok(isInside('/a/b', '/a/b/c/d'));
    assert.ok(!isInside('/a/b', '/a/bc'));
    assert.ok(!isInside('/a/b', '/a'));
  });

  test('shellWord leaves plain paths alone', () => {
    assert.equal(
      shellWord('/usr/lib/node_modules/mcp-gitops/bin/mcp-gitops.js'),
      '/usr/lib/node_modules/mcp-gitops/bin/mcp-gitops.js',
    );
    assert.equal(shellWord('a b'), "'a b'");
  });

  test("the user's PATH leaves out the node_modules/.bin folders npm and npx put in front", () => {
    const PATH = [
      '/p/node_modules/.bin',
      '/node_modules/.bin',
      '',
      '/usr/local/bin',
      '/root/.npm/_npx/1a/node_modules/.bin',
      '/usr/bin',
    ].join(':');
    assert.deepEqual(userPathDirs({ PATH }), ['/usr/local/bin', '/usr/bin']);
  });
});
