/**
 * The `updates` renderers against exact expected text (STYLE.md: rendering is tested apart from
 * computing), from a fixed report that also carries hostile strings: a control character and a
 * Markdown/HTML injection attempt in what a registry or the repo could put in a name or an error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderUpdatesJson, renderUpdatesText, summarize } from '../../src/cli/commands/updates-format.js';
import { cell, renderUpdatesMarkdown } from '../../src/cli/commands/updates-markdown.js';
import type { UpdatePolicy, UpdatesReport } from '../../src/updates/types.js';

const policy: UpdatePolicy = {
  allow: 'minor',
  ignore: [],
  minimumReleaseAgeMs: 0,
  prereleases: false,
  requireDigest: false,
};

const report: UpdatesReport = {
  revision: '0123456789abcdef0123456789abcdef01234567',
  checkedAt: '2026-12-05T12:00:00.000Z',
  requests: 3,
  durationMs: 1234,
  servers: [
    {
      server: 'demo',
      environments: ['dev', 'prod'],
      targets: ['dev/laptop', 'prod/vm'],
      kind: 'npm',
      identifier: 'mcp-gitops-demo-server',
      current: '1.0.0',
      location: { file: 'servers/demo.yaml', line: 9, path: ['spec', 'package', 'version'] },
      policy,
      registry: 'http://127.0.0.1:4873',
      allowed: [
        { version: '1.1.0', publishedAt: '2026-11-05T00:00:00.000Z' },
        { version: '1.0.1', publishedAt: '2026-10-05T00:00:00.000Z' },
      ],
      held: [
        { version: '2.0.0', reason: 'not-allowed', detail: 'a major update; the policy allows minor' },
        { version: '1.2.0', reason: 'too-young', detail: 'published 5h ago; minimum 3d' },
      ],
      proposed: { version: '1.1.0', publishedAt: '2026-11-05T00:00:00.000Z', pin: '1.1.0' },
    },
    {
      server: 'evil',
      environments: ['dev'],
      targets: ['dev/laptop'],
      kind: 'npm',
      identifier: '[x](https://evil.example)<img src=x>',
      current: '1.0.0',
      policy,
      allowed: [],
      held: [],
      error: 'bad\u0007reply | <script>',
    },
    {
      server: 'off',
      environments: ['dev'],
      targets: ['dev/laptop'],
      kind: 'oci',
      identifier: 'ghcr.io/acme/off',
      current: '1.0.0',
      policy: { ...policy, allow: 'none' },
      allowed: [],
      held: [],
      skipped: 'updates are off for this server (allow: none)',
    },
  ],
};

test('text: a table per server and a fixed summary line', () => {
  assert.equal(
    renderUpdatesText(report),
    `Updates for the config at 0123456789ab, checked 2026-12-05T12:00:00.000Z

demo  npm mcp-gitops-demo-server  (dev, prod)  servers/demo.yaml:9
  current   1.0.0
  proposed  1.1.0 (published 2026-11-05)
  allowed   1.0.1
  held      2.0.0  not-allowed: a major update; the policy allows minor
  held      1.2.0  too-young: published 5h ago; minimum 3d

evil  npm [x](https://evil.example)<img src=x>  (dev)
  current   1.0.0
  error     bad reply | <script>

off  oci ghcr.io/acme/off  (dev)
  current   1.0.0
  skipped   updates are off for this server (allow: none)

1 server checked, 1 update pending, 1 could not be checked, 1 skipped (3 registry requests in 1.2 s)
`,
  );
});

test('markdown: escaped cells, no link or HTML can be injected', () => {
  assert.equal(
    renderUpdatesMarkdown(report),
    `### mcp-gitops updates

Config at <code>0123456789ab</code>: 1 server checked, 1 update pending, 1 could not be checked, 1 skipped (3 registry requests in 1.2 s)

| Server | Package | Current | Proposed | Environments | Pinned at |
| --- | --- | --- | --- | --- | --- |
| demo | npm <code>mcp-gitops-demo-server</code> | <code>1.0.0</code> | **<code>1.1.0</code>** | dev, prod | <code>servers/demo.yaml:9</code> |
| evil | npm <code>&#91;x&#93;(https&#58;//evil.example)&#60;img src=x&#62;</code> | <code>1.0.0</code> | could not be checked: bad reply &#124; &#60;script&#62; | dev |  |
| off | oci <code>ghcr.io/acme/off</code> | <code>1.0.0</code> | skipped: updates are off for this server (allow: none) | dev |  |

<details><summary>Other versions</summary>

- demo <code>1.0.1</code>: also allowed
- demo <code>2.0.0</code>: not-allowed, a major update; the policy allows minor
- demo <code>1.2.0</code>: too-young, published 5h ago; minimum 3d

</details>
`,
  );
  assert.equal(cell('a\nb|c'), 'a b&#124;c');
});

test('json: versioned envelope with a summary, servers as in the report', () => {
  const data = JSON.parse(renderUpdatesJson(report)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(data), [
    'apiVersion',
    'kind',
    'revision',
    'checkedAt',
    'summary',
    'requests',
    'durationMs',
    'servers',
  ]);
  assert.equal(data.apiVersion, 'mcp-gitops/v1');
  assert.deepEqual(data.summary, summarize(report));
  assert.deepEqual(data.summary, { checked: 1, pending: 1, errors: 1, skipped: 1 });
  assert.deepEqual(data.servers, report.servers);
});

test('text and markdown show the newest held versions; JSON keeps them all', () => {
  const many = structuredClone(report);
  const demo = many.servers[0];
  assert.ok(demo);
  demo.held = Array.from({ length: 13 }, (_, i) => ({
    version: `${20 - i}.0.0`,
    reason: 'not-allowed' as const,
    detail: 'a major update; the policy allows minor',
  }));
  const text = renderUpdatesText(many);
  assert.equal(text.match(/^ {2}held /gm)?.length, 11);
  assert.match(text, /\n {2}held {6}11\.0\.0 {2}not-allowed/);
  assert.match(text, /\n {2}held {6}… and 3 older \(--format json lists every one\)\n/);
  assert.doesNotMatch(text, /10\.0\.0/);
  assert.match(renderUpdatesMarkdown(many), /\n- demo: 3 older versions held\n/);
  assert.equal(
    (JSON.parse(renderUpdatesJson(many)) as { servers: { held: unknown[] }[] }).servers[0]?.held.length,
    13,
  );
});
