import assert from 'node:assert/strict';
import { test } from 'node:test';
import { McpGitopsError } from '../../src/core/errors.js';
import { orderByDependencies } from '../../src/resolve/index.js';

const names = (items: { name: string }[]) => items.map((i) => i.name);

test('dependencies come first even when alphabetically later; peers stay alphabetical', () => {
  const order = orderByDependencies([
    { name: 'c', dependsOn: ['z'] },
    { name: 'b' },
    { name: 'z', dependsOn: ['y'] },
    { name: 'y' },
    { name: 'a', dependsOn: ['elsewhere'] },
  ]);
  assert.deepEqual(names(order), ['a', 'b', 'y', 'z', 'c']);
});

test('a cycle is an McpGitopsError naming the servers in it', () => {
  assert.throws(
    () =>
      orderByDependencies([{ name: 'a', dependsOn: ['b'] }, { name: 'b', dependsOn: ['a'] }, { name: 'c' }]),
    (err: unknown) =>
      err instanceof McpGitopsError && err.message === 'dependsOn cycle between servers: a, b',
  );
});

test('dependencies read through an accessor order the items themselves, uncopied', () => {
  const items = [
    { name: 'app', spec: { dependsOn: ['db', 'db'] } },
    { name: 'db', spec: { dependsOn: ['app-elsewhere'] } },
    { name: 'cache', spec: {} as { dependsOn?: string[] } },
  ];
  const order = orderByDependencies(items, (item) => item.spec.dependsOn);
  assert.deepEqual(names(order), ['cache', 'db', 'app']);
  assert.ok(
    order.every((item) => items.includes(item)),
    'the same objects, not copies',
  );
});
