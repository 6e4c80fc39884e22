/**
 * The pure parts of `updates --open-prs`: grouping a report into changes, branch names and titles
 * from templates (and refusing unsafe ones), the in-place YAML bump, the marker, the plan diff and
 * the PR body (bounded, inert Markdown, safe links only). Reports are constructed as input data.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { changeVersions, groupChanges } from '../../../src/updates/group-changes.js';
import { branchNameProblem, changeNames } from '../../../src/updates/pull-requests/branch-names.js';
import { bumpFiles } from '../../../src/updates/pull-requests/build-change.js';
import { bumpVersion } from '../../../src/updates/pull-requests/bump-version.js';
import { FORGES, forgeChoice } from '../../../src/updates/pull-requests/forges/index.js';
import { parseMarker, renderMarker } from '../../../src/updates/pull-requests/marker.js';
import { MAX_BODY, renderPullRequestBody, safeLink } from '../../../src/updates/pull-requests/render-body.js';
import type { ServerUpdates } from '../../../src/updates/types.js';

function update(
  server: string,
  current: string,
  pin: string | undefined,
  extra: Partial<ServerUpdates> = {},
): ServerUpdates {
  return {
    server,
    environments: ['dev'],
    targets: ['dev/laptop'],
    kind: 'npm',
    identifier: server,
    current,
    location: { file: `servers/${server}.yaml`, line: 9, path: ['spec', 'package', 'version'] },
    policy: { allow: 'major', ignore: [], minimumReleaseAgeMs: 0, prereleases: false, requireDigest: false },
    allowed: pin ? [{ version: pin }] : [],
    held: [],
    ...(pin ? { proposed: { version: pin, pin } } : {}),
    ...extra,
  };
}

describe('groupChanges', () => {
  test('one change per server, one per group, sorted; no proposal, no change', () => {
    const grouped = (s: ServerUpdates, group: string) => ({ ...s, policy: { ...s.policy, group } });
    const changes = groupChanges({
      servers: [
        update('zeta', '1.0.0', '1.1.0'),
        grouped(update('beta', '1.0.0', '2.0.0'), 'core'),
        update('idle', '1.0.0', undefined),
        grouped(update('alpha', '3.0.0', '3.1.0'), 'core'),
        update('broken', '1.0.0', '1.0.1', { error: 'registry down' }),
      ],
    });
    assert.deepEqual(
      changes.map((c) => [c.name, c.group, c.updates.map((u) => u.server)]),
      [
        ['core', 'core', ['alpha', 'beta']],
        ['zeta', undefined, ['zeta']],
      ],
    );
    assert.deepEqual(changeVersions(changes[0]!), ['alpha@3.1.0', 'beta@2.0.0']);
  });
});

describe('branch names and titles', () => {
  const change = { name: 'memory', updates: [update('memory', '1.0.0', '1.1.0')] };
  test('defaults and templates', () => {
    assert.deepEqual(changeNames(change), {
      branch: 'mcp-gitops/update-memory',
      title: 'Update memory to 1.1.0',
    });
    assert.deepEqual(
      changeNames(change, {
        branch: 'deps/{{update.server}}-{{update.version}}',
        title: 'chore: {{update.name}} {{update.version}}',
      }),
      { branch: 'deps/memory-1.1.0', title: 'chore: memory 1.1.0' },
    );
  });
  test('unsafe branches, unknown variables and hostile versions are refused', () => {
    assert.throws(() => changeNames(change, { branch: 'x/{{vars.secret}}' }), /not a variable here/);
    assert.throws(() => changeNames(change, { branch: 'a..b-{{update.name}}' }), /refused/);
    assert.throws(() => changeNames(change, { branch: '{{update.name}} x' }), /refused/);
    const hostile = { name: 'memory', updates: [update('memory', '1.0.0', '1.1.0;rm -rf /')] };
    assert.throws(() => changeNames(hostile), /characters a pin may not hold/);
    for (const bad of ['-x', 'x.lock', 'a/.b', 'x/', 'a//b', 'HEAD', 'x@{1}', 'x~1', 'x:y', 'ä']) {
      assert.ok(branchNameProblem(bad), bad);
    }
    assert.equal(branchNameProblem('mcp-gitops/update-core_2.0'), undefined);
  });
});

describe('bumpVersion', () => {
  const text = [
    '# the memory server',
    'apiVersion: mcp-gitops/v1',
    'kind: Server',
    'metadata:',
    '  name: memory',
    'spec:',
    '  transport: stdio',
    '  package:',
    "    version: '1.0.0' # pinned",
    '    registryType: npm',
    '    identifier: memory',
    '---',
    'apiVersion: mcp-gitops/v1',
    'kind: Server',
    'metadata: { name: other }',
    'spec: { transport: stdio, package: { registryType: npm, identifier: other, version: 1.0.0 } }',
    '',
  ].join('\n');
  test('only the version bytes change; quoting and comments stay', () => {
    const out = bumpVersion(
      text,
      { file: 'memory.yaml', line: 9, path: ['spec', 'package', 'version'] },
      '1.0.0',
      '1.1.0',
    );
    assert.equal(out.text, text.replace("version: '1.0.0' # pinned", "version: '1.1.0' # pinned"));
  });
  test('flow mappings in a second document, by line', () => {
    const out = bumpVersion(
      text,
      { file: 'm.yaml', line: 16, path: ['spec', 'package', 'version'] },
      '1.0.0',
      '2.0.0',
    );
    assert.equal(
      out.text,
      text.replace('identifier: other, version: 1.0.0', 'identifier: other, version: 2.0.0'),
    );
  });
  test('a plain scalar that would read as a number is quoted', () => {
    const t = 'kind: Server\nspec:\n  package:\n    version: 1.0.0\n';
    assert.equal(
      bumpVersion(t, { file: 'x.yaml', line: 4, path: ['spec', 'package', 'version'] }, '1.0.0', '2').text,
      'kind: Server\nspec:\n  package:\n    version: "2"\n',
    );
  });
  test('refused when the file moved on or the path is wrong', () => {
    assert.throws(
      () =>
        bumpVersion(
          text,
          { file: 'm.yaml', line: 9, path: ['spec', 'package', 'version'] },
          '0.9.0',
          '1.1.0',
        ),
      /not the pinned/,
    );
    assert.throws(
      () =>
        bumpVersion(
          text,
          { file: 'm.yaml', line: 8, path: ['spec', 'package', 'version'] },
          '1.0.0',
          '1.1.0',
        ),
      /no single scalar/,
    );
    assert.throws(
      () =>
        bumpVersion(
          text,
          { file: 'm.yaml', line: 9, path: ['spec', 'package', 'version'] },
          '1.0.0',
          '1.1.0\nkind: x',
        ),
      /may not hold/,
    );
  });
});

describe('marker and body', () => {
  test('marker round trip; a hand-edited marker is not trusted', () => {
    const m = renderMarker({ name: 'core', versions: ['b@2.0.0', 'a@1.0.0'] });
    assert.equal(m, '<!-- mcp-gitops:update name=core versions=a@1.0.0,b@2.0.0 -->');
    assert.deepEqual(parseMarker(`x\n${m}\n`), { name: 'core', versions: ['a@1.0.0', 'b@2.0.0'] });
    assert.equal(parseMarker('<!-- mcp-gitops:update name=core versions=a@1 b -->'), undefined);
  });
  test('links only when plain https', () => {
    assert.equal(
      safeLink('https://github.com/o/r/releases/tag/v1.1.0'),
      '[release](https://github.com/o/r/releases/tag/v1.1.0)',
    );
    for (const bad of [
      'http://x.example/a',
      'javascript:alert(1)',
      'https://x.example/a)b',
      'https://u:p@x.example/',
      'https://x.example/?q=1',
    ])
      assert.equal(safeLink(bad), undefined, bad);
  });
  test('release, plan and inert server text; bounded', () => {
    const change = {
      name: 'memory',
      updates: [
        update('memory', '1.0.0', '1.1.0', {
          registry: 'http://127.0.0.1:4873',
          proposed: {
            version: '1.1.0',
            pin: '1.1.0',
            publishedAt: '2026-11-01T10:00:00Z',
            url: 'https://evil.example/<img>',
          },
        }),
      ],
    };
    const tools = Array.from({ length: 400 }, (_, i) => ({
      name: `t${i}`,
      description: 'd'.repeat(500),
      fingerprint: 'f',
    }));
    const body = renderPullRequestBody({
      change,
      versions: ['memory@1.1.0'],
      plan: [
        {
          target: 'dev/laptop',
          server: 'memory',
          fields: [{ path: 'package.version', before: '1.0.0', after: '1.1.0' }],
        },
      ],
      verifications: [
        {
          server: 'memory',
          version: '1.1.0',
          targets: ['dev/laptop'],
          outcome: 'verified',
          surface: { fingerprint: 'x', tools, prompts: [], resourceTemplates: [] },
          lock: { file: 'tool-locks/memory/1.0.0.yaml', version: '1.0.0' },
          diff: {
            tools: tools.map((t) => ({
              tool: t.name,
              kind: 'added' as const,
              added: {
                name: t.name,
                description: `[click](https://evil.example) @someone <script> ${t.description}`,
              },
            })),
            escalations: [{ tool: 'echo', change: 'readOnlyHint true → false' }],
          },
        },
      ],
      addedLocks: ['tool-locks/memory/1.1.0.yaml'],
    });
    assert.ok(body.startsWith('<!-- mcp-gitops:update name=memory versions=memory@1.1.0 -->'));
    assert.ok(body.length <= MAX_BODY);
    assert.match(body, /`package\.version`: `"1\.0\.0"` → `"1\.1\.0"`/);
    assert.match(body, /2026-11-01 10:00 UTC/);
    assert.doesNotMatch(body, /evil\.example\/<img>/);
    assert.match(body, /tool-locks\/memory\/1\.1\.0\.yaml/);
    const small = renderPullRequestBody({
      change,
      versions: ['memory@1.1.0'],
      plan: { unavailable: 'x' },
      verifications: [
        {
          server: 'memory',
          version: '1.1.0',
          targets: [],
          outcome: 'verified',
          surface: { fingerprint: 'x', tools: [], prompts: [], resourceTemplates: [] },
          lock: { file: 'tool-locks/memory/1.0.0.yaml', version: '1.0.0' },
          diff: {
            tools: [
              {
                tool: 'x',
                kind: 'added',
                added: { name: 'x', description: '[click](https://evil.example) <script>' },
              },
            ],
            escalations: [{ tool: 'echo', change: 'readOnlyHint: true → false' }],
          },
        },
      ],
      addedLocks: [],
    });
    // Server text only inside a fenced block; escalations as code spans.
    assert.match(small, /```diff\n[\s\S]*\[click\]\(https:\/\/evil\.example\) <script>[\s\S]*\n```/);
    assert.match(small, /`echo`: `readOnlyHint: true → false`/);
  });
});

describe('forges', () => {
  test('the registry lists every forge folder file, and nothing else', () => {
    const dir = path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      '../../../src/updates/pull-requests/forges',
    );
    const files = fs
      .readdirSync(dir)
      .filter((f) => !['index.ts', 'types.ts', 'forge-http.ts'].includes(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    assert.deepEqual([...FORGES.keys()].sort(), files);
  });
  test('choice: defaults, GitHub Enterprise, and refusals', () => {
    assert.deepEqual(forgeChoice({ github: { repository: 'acme/config' } }), {
      id: 'github',
      repository: 'acme/config',
      apiUrl: 'https://api.github.com',
      tokenRef: 'env:GITHUB_TOKEN',
    });
    assert.equal(
      forgeChoice({
        github: { repository: 'a/b', apiUrl: 'https://ghe.example/api/v3', token: { ref: 'file:~/gh' } },
      }).apiUrl,
      'https://ghe.example/api/v3',
    );
    assert.deepEqual(forgeChoice({ gitlab: { project: 'group/config' } }), {
      id: 'gitlab',
      repository: 'group/config',
      apiUrl: 'https://gitlab.com/api/v4',
      tokenRef: 'env:GITLAB_TOKEN',
    });
    assert.throws(() => forgeChoice({}), /no updates\.pullRequests\.github or \.gitlab/);
    assert.throws(() => forgeChoice({ github: { repository: 'a/b' }, gitlab: { project: 'c/d' } }), /both/);
    assert.throws(
      () => forgeChoice({ github: { repository: 'a/b', apiUrl: 'https://user:pw@ghe.example/api/v3' } }),
      /no credentials/,
    );
    assert.throws(
      () => forgeChoice({ github: { repository: 'a/b', apiUrl: 'file:///etc' } }),
      /http\(s\) URL/,
    );
  });
});

describe('bumpFiles', () => {
  test('an environment override in a list, and two pins of one file in one change', () => {
    const env = [
      'apiVersion: mcp-gitops/v1',
      'kind: Environment',
      'metadata: { name: prod }',
      'spec:',
      '  servers:',
      '    - name: a',
      '      overrides: { package: { version: 1.0.0 } }',
      '    - name: b',
      '      overrides:',
      '        package:',
      '          version: "2.0.0"   # b',
      '',
    ].join('\n');
    const at = (line: number, index: number) => ({
      file: 'environments/prod.yaml',
      line,
      path: ['spec', 'servers', index, 'overrides', 'package', 'version'],
    });
    const change = {
      name: 'stack',
      group: 'stack',
      updates: [
        update('a', '1.0.0', '1.0.1', { location: at(7, 0) }),
        update('b', '2.0.0', '2.1.0', { location: at(11, 1) }),
      ],
    };
    const out = bumpFiles(change, { files: [{ path: 'environments/prod.yaml', text: env }] });
    assert.equal(
      out.get('environments/prod.yaml'),
      env.replace('version: 1.0.0 }', 'version: 1.0.1 }').replace('"2.0.0"   # b', '"2.1.0"   # b'),
    );
  });
});
