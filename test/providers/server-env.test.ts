/** The environment the process and container providers give a server: plain env + resolved secrets. */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import type { ServerSpec } from '../../src/core/resources.js';
import { resolveServerEnv } from '../../src/providers/server-env.js';
import type { ProviderContext } from '../../src/providers/types.js';
import { createSecretResolver } from '../../src/secrets/resolve-secret.js';

const CANARY = 'canary-5f0c2d9e-secret-value';

function context(redacted: string[]): ProviderContext {
  const secrets = createSecretResolver({ repoRoot: tmpdir(), env: { API_TOKEN_SOURCE: CANARY } });
  return { secrets, redact: (v: string) => redacted.push(v) } as unknown as ProviderContext;
}

test('plain env and resolved secrets, sorted by name; a secret replaces a plain value of its name', async () => {
  const redacted: string[] = [];
  const spec = {
    transport: 'stdio',
    env: { ZED: 'z', API_TOKEN: 'placeholder', LOG: 'debug' },
    secrets: [{ name: 'API_TOKEN', ref: 'env:API_TOKEN_SOURCE' }],
  } as ServerSpec;
  assert.deepEqual(await resolveServerEnv(context(redacted), 'files', spec), [
    ['API_TOKEN', CANARY],
    ['LOG', 'debug'],
    ['ZED', 'z'],
  ]);
  assert.deepEqual(redacted, [CANARY], 'the secret is registered for redaction');
});

test('a name that is not an environment variable name is refused, naming the server', async () => {
  const spec = { transport: 'stdio', env: { 'BAD-NAME': 'x' } } as ServerSpec;
  await assert.rejects(
    resolveServerEnv(context([]), 'files', spec),
    /server "files": "BAD-NAME" is not a valid/,
  );
});
