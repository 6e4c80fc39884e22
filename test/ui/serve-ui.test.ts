/**
 * serve's side of the UI (createServeUi): a finished reconcile becomes a `reconcile` update on
 * /events, a line in the overview's last reconciles, and the drift page's before/after values from
 * the plan it made, and a tool's live change against the lock (word diff, escaped) on the server
 * page; the facts show the remote without credentials. Real reports on disk, a real
 * HTTP server over the UI's routes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { RunResult } from '../../src/engine/types.js';
import { createLogger } from '../../src/log/logger.js';
import { createServeApp } from '../../src/serve/create-serve-app.js';
import { createServeUi } from '../../src/serve/ui-routes.js';
import { HOSTILE, report } from './fixture.js';

const CANARY = 'cAnArY-serve-ui-0b7e55';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-serve-ui-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a finished reconcile: an update, a recent run, and the drift diff of its plan', async () => {
  fs.mkdirSync(path.join(dir, 'reports', 'dev'), { recursive: true });
  const write = (r: ReturnType<typeof report>) =>
    fs.writeFileSync(path.join(dir, 'reports', 'dev', 'laptop.json'), JSON.stringify(r));
  write(report('dev', 'laptop', 2));
  const ui = createServeUi({
    checkout: () => dir,
    reportsDir: () => 'reports',
    remote: `https://bot:${CANARY}@github.com/acme/config.git`,
    branch: 'main',
    ready: () => true,
  });
  const app = createServeApp({ logger: createLogger({ level: 'silent' }), routes: ui.routes });
  const { url } = await app.listen('127.0.0.1', 0);
  try {
    const events = await fetch(`${url}/events`);
    const reader = events.body?.getReader();
    assert.ok(reader);
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('retry:')) text += decoder.decode((await reader.read()).value, { stream: true });

    write(report('dev', 'laptop', 2, { drift: [{ server: 's0001', paths: ['env.LOG'] }] }));
    const result = {
      failed: false,
      plan: {
        targets: [
          {
            environment: 'dev',
            target: 'laptop',
            changes: [
              {
                server: 's0001',
                reason: 'drift',
                diffs: [{ path: 'env.LOG', before: 'debug', after: 'info' }],
              },
              {
                server: 's0000',
                reason: 'none',
                diffs: [],
                tools: {
                  reason: 'ToolsChanged',
                  against: 'tool-locks/s0000/1.0.0.yaml',
                  diff: {
                    escalations: [],
                    tools: [
                      {
                        tool: 'echo',
                        kind: 'changed',
                        fields: [
                          {
                            field: 'description',
                            before: 'Echoes the text',
                            after: `Echoes the text ${HOSTILE}`,
                          },
                          {
                            field: 'inputSchema',
                            paths: ['properties.text.type'],
                            before: { properties: { text: { type: 'string' } } },
                            after: { properties: { text: { type: 'number' } } },
                          },
                        ],
                      },
                    ],
                  },
                },
              },
            ],
          },
        ],
      },
    } as unknown as RunResult;
    ui.observer.reconciled?.({
      environment: 'dev',
      trigger: 'interval',
      revision: 'b'.repeat(40),
      result,
      durationSeconds: 1.25,
      finishedAt: Date.parse('2026-12-05T10:00:00Z'),
    });
    while (!text.includes('"drift"')) text += decoder.decode((await reader.read()).value, { stream: true });
    assert.match(text, /data: \{"kind":"drift","env":"dev"\}/);
    assert.match(text, /data: \{"kind":"reconcile","env":"dev"\}/);
    await reader.cancel();

    const overview = await (await fetch(`${url}/`)).text();
    assert.match(
      overview,
      /2026-12-05T10:00:00\.000Z<\/time><\/td><td>dev<\/td><td>interval<\/td><td><span class="badge b-ok"/,
    );
    assert.match(overview, /<dt>Last sync<\/dt><dd><time/);
    const envPage = await (await fetch(`${url}/env/dev`)).text();
    assert.match(
      envPage,
      /data-testid="checked-dev">Last verified: <time datetime="2026-12-05T10:00:00\.000Z">/,
      'the environment says when this process last verified it',
    );
    assert.ok(!overview.includes(CANARY));
    const server = await (await fetch(`${url}/env/dev/server/s0000`)).text();
    const live = server.slice(server.indexOf('data-testid="live-echo"'));
    assert.match(live, /^data-testid="live-echo"><p><strong>Now, against the lock<\/strong>/);
    assert.match(
      live,
      /<pre class="word-diff"><code>Echoes the text<ins> &#60;img src=x onerror=alert\(1\)&#62;/,
    );
    assert.match(live, /inputSchema changed at <code>properties\.text\.type<\/code>/);
    assert.doesNotMatch(server, /<img|<script>/);
    assert.ok(!server.includes('\u202E'));
    const drift = await (await fetch(`${url}/drift`)).text();
    assert.match(
      drift,
      /<code>env\.LOG<\/code><\/th><td class="diff-before"><code>&#34;debug&#34;<\/code><\/td><td class="diff-after"><code>&#34;info&#34;<\/code>/,
    );
  } finally {
    ui.close();
    app.server.closeAllConnections();
    await app.close();
  }
});
