/**
 * Redacting a surface before it is locked (secret values out, fingerprints recomputed so the lock
 * stays valid) and comparing a live surface with a lock by name.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redactor } from '../../../src/log/redact.js';
import { buildSurface } from '../../../src/surface/fingerprint.js';
import { compareToLock, lockProblems, redactSurface } from '../../../src/surface/lock/index.js';

const SECRET = 'sk-live-0123456789abcdef';
const tools = [
  { name: 'a', description: 'plain', inputSchema: { type: 'object' } },
  {
    name: 'b',
    description: `uses ${SECRET}`,
    inputSchema: { type: 'object', properties: { [SECRET]: { default: [`x${SECRET}`] } } },
  },
];

test('redactSurface takes secret values out of every string and key, and the result is a consistent surface', () => {
  const redactor = new Redactor();
  redactor.add(SECRET);
  const live = buildSurface({
    tools,
    instructions: `token ${SECRET}`,
    prompts: [SECRET],
    resourceTemplates: [],
  });
  const { surface, redacted } = redactSurface(live, (s) => redactor.redact(s));
  assert.equal(redacted, true);
  assert.ok(!JSON.stringify(surface).includes(SECRET), JSON.stringify(surface));
  assert.equal(surface.tools[1]?.description, 'uses [REDACTED]');
  assert.deepEqual(Object.keys((surface.tools[1]!.inputSchema as { properties: object }).properties), [
    '[REDACTED]',
  ]);
  assert.equal(surface.instructions, 'token [REDACTED]');
  assert.deepEqual(lockProblems(surface), []);
  assert.equal(
    surface.tools[0]?.fingerprint,
    live.tools[0]?.fingerprint,
    'untouched tools keep their fingerprint',
  );
  assert.notEqual(surface.fingerprint, live.fingerprint);
});

test('redactSurface with nothing to redact returns the same surface', () => {
  const live = buildSurface({ tools, prompts: ['p'] });
  const { surface, redacted } = redactSurface(live, (s) => new Redactor().redact(s));
  assert.equal(redacted, false);
  assert.deepEqual(surface, live);
});

test('compareToLock names added, removed and changed tools and the other parts that moved', () => {
  const locked = buildSurface({ tools, instructions: 'x', prompts: ['p'], resourceTemplates: ['t://{a}'] });
  assert.deepEqual(compareToLock(locked, locked), {
    matches: true,
    added: [],
    removed: [],
    changed: [],
    other: [],
  });
  const current = buildSurface({
    tools: [{ ...tools[1], description: 'changed' }, { name: 'c' }],
    instructions: 'y',
    prompts: ['p', 'q'],
    resourceTemplates: ['t://{a}'],
  });
  assert.deepEqual(compareToLock(locked, current), {
    matches: false,
    added: ['c'],
    removed: ['a'],
    changed: ['b'],
    other: ['instructions', 'prompts'],
  });
});
