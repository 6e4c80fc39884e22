import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { HookResource, HookSpec } from '../../src/core/resources.js';
import { runHooks } from '../../src/hooks/run-hooks.js';
import { redactor } from '../../src/log/redact.js';

function hook(name: string, spec: Partial<HookSpec> & Pick<HookSpec, 'run'>): HookResource {
  return {
    apiVersion: 'mcp-gitops/v1',
    kind: 'Hook',
    metadata: { name },
    spec: { events: ['preApply'], ...spec },
  };
}

describe('hook runner', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-hooks-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'hooks'));
  const script = path.join(root, 'hooks', 'record.sh');
  fs.writeFileSync(
    script,
    '#!/bin/sh\nprintf "%s|%s|%s|%s\\n" "$1" "$2" "$MCP_GITOPS_EVENT" "$(pwd)" >> out.txt\necho "said $2"\n[ -n "$3" ] && exit "$3"\nexit 0\n',
    { mode: 0o755 },
  );
  const base = {
    event: 'preApply' as const,
    environment: 'dev',
    summary: '1 changed, 0 failed, 0 drifted',
    root,
  };

  test('renders args as argv (no shell), runs in the repo root with the event in env', async () => {
    const res = await runHooks(
      [
        hook('notify', {
          run: { command: './hooks/record.sh', args: ['{{environment}}', '{{summary}}; rm -rf /'] },
        }),
      ],
      base,
    );
    assert.equal(res.abort, undefined);
    assert.equal(res.results[0]?.ok, true);
    const line = fs.readFileSync(path.join(root, 'out.txt'), 'utf8').trim();
    assert.equal(line, `dev|1 changed, 0 failed, 0 drifted; rm -rf /|preApply|${fs.realpathSync(root)}`);
  });

  test('filters by event and environment', async () => {
    const hooks = [
      hook('prod-only', { environments: ['prod'], run: { command: 'false' } }),
      hook('post', { events: ['postApply'], run: { command: 'false' } }),
    ];
    assert.deepEqual((await runHooks(hooks, base)).results, []);
  });

  test('a failing preApply hook with onFailure abort is a gate; continue is not', async () => {
    const cont = await runHooks([hook('soft', { onFailure: 'continue', run: { command: 'false' } })], base);
    assert.equal(cont.abort, undefined);
    assert.equal(cont.results[0]?.ok, false);
    const stop = await runHooks(
      [
        hook('gate', { onFailure: 'abort', run: { command: './hooks/record.sh', args: ['x', 'y', '3'] } }),
        hook('after', { run: { command: 'true' } }),
      ],
      base,
    );
    assert.match(stop.abort?.reason ?? '', /preApply hook "gate" failed: exit code 3/);
    assert.equal(stop.results.length, 1, 'hooks after an aborting one do not run');
  });

  test('a hook that hangs is stopped at its timeout', async () => {
    const res = await runHooks(
      [hook('slow', { onFailure: 'abort', run: { command: 'sleep', args: ['30'], timeoutMs: 200 } })],
      base,
    );
    assert.match(res.abort?.reason ?? '', /timed out after 200 ms/);
  });

  test('a missing command fails the hook with a message, and output is redacted', async () => {
    const missing = await runHooks([hook('missing', { run: { command: './hooks/nope.sh' } })], base);
    assert.equal(missing.results[0]?.ok, false);
    assert.ok(missing.results[0]?.message);
    redactor.add('hook-canary-s3cr3t');
    const res = await runHooks(
      [hook('leak', { run: { command: './hooks/record.sh', args: ['a', 'hook-canary-s3cr3t'] } })],
      base,
    );
    assert.equal(res.results[0]?.output.includes('hook-canary-s3cr3t'), false);
    assert.match(res.results[0]?.output ?? '', /said \[REDACTED\]/);
  });
});
