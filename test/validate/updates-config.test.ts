/**
 * Update policies as config: a full, valid `updates` section (on a Server and on the Repository)
 * passes validation, and it changes nothing that runs: the desired state a plan is computed from,
 * spec hashes included, is identical with and without it. The invalid cases live in the corpus
 * (test/fixtures/invalid/updates-policy and updates-schema).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveDesiredState } from '../../src/resolve/resolve-desired-state.js';
import { runValidation } from '../../src/validate/run-validation.js';
import { BASE_REPO } from './corpus-repo.js';

const work = mkdtempSync(join(tmpdir(), 'mcp-gitops-updates-config-'));
after(() => rmSync(work, { recursive: true, force: true }));

const REPOSITORY_UPDATES = `  updates:
    requireDigests: true
    rules:
      - match: { labels: { team: platform }, registryTypes: [npm] }
        allow: minor
        ignore: ["2.0.0", ">=3 <3.2"]
        minimumReleaseAge: 1d12h
        schedule: "*/30 6-18 * jan-dec mon-fri"
        group: platform
      - match: { servers: [everything] }
        allow: patch
    registries:
      npm: { url: "http://127.0.0.1:4873/", token: { ref: env:NPM_TOKEN } }
      pypi: { url: "https://pypi.internal.example/simple-api" }
      mcp: { url: "https://registry.modelcontextprotocol.io" }
      oci:
        - host: registry.internal:5000
          insecure: true
          username: { ref: env:REG_USER }
          password: { ref: "file:~/.config/reg-password" }
    pullRequests:
      branch: "mcp-gitops/{{update.name}}-{{update.version}}"
      title: "Update {{update.server}} to {{update.version}}"
      labels: [dependencies]
      github: { repository: acme/platform-mcp, apiUrl: "https://ghe.example.com/api/v3", token: { ref: env:GH_TOKEN } }
`;

const SERVER_UPDATES = `  updates:
    allow: major
    ignore: ["2026.9.0"]
    minimumReleaseAge: 3d
    schedule: "0 6 * * 1"
    registryEntry: io.github.modelcontextprotocol/server-memory
    prereleases: false
    group: platform
`;

function repoCopy(name: string, withUpdates: boolean): string {
  const dir = join(work, name);
  cpSync(BASE_REPO, dir, { recursive: true });
  if (withUpdates) {
    const repoFile = join(dir, 'mcp-gitops.yaml');
    writeFileSync(repoFile, `${readFileSync(repoFile, 'utf8')}${REPOSITORY_UPDATES}`);
    const serverFile = join(dir, 'servers', 'memory.yaml');
    writeFileSync(serverFile, `${readFileSync(serverFile, 'utf8')}${SERVER_UPDATES}`);
  }
  return dir;
}

test('a full updates section on the Repository and a Server is valid', async () => {
  const { diagnostics } = await runValidation({ root: repoCopy('with', true), source: 'worktree' });
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
});

test('an update policy changes no resolved server, spec hash or target: the plan is the same', async () => {
  const without = await runValidation({ root: repoCopy('without', false), source: 'worktree' });
  const withUpdates = await runValidation({ root: repoCopy('with2', true), source: 'worktree' });
  assert.equal(
    withUpdates.config.servers.find((s) => s.name === 'memory')?.value.spec.updates?.allow,
    'major',
  );
  const a = resolveDesiredState(without.config);
  const b = resolveDesiredState(withUpdates.config);
  assert.deepEqual(b.environments, a.environments);
  const hashes = (d: typeof a) =>
    d.environments.flatMap((e) => e.targets.flatMap((t) => t.servers.map((s) => s.specHash)));
  assert.deepEqual(hashes(b), hashes(a));
  assert.ok(hashes(a).length > 0);
  for (const env of b.environments) {
    for (const target of env.targets) {
      for (const server of target.servers) assert.equal('updates' in server.spec, false, server.name);
    }
  }
});

test('plan: the same changes with and without an update policy', async () => {
  const { planRun } = await import('../../src/engine/plan-run.js');
  const { createTempRepo } = await import('../helpers/temp-repo.js');
  const plans: unknown[] = [];
  for (const withPolicy of [false, true]) {
    const repo = createTempRepo('mcp-gitops-updates-plan-');
    const home = join(work, `home-${withPolicy}`);
    repo.write(
      'mcp-gitops.yaml',
      `apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: p }\nspec:\n  branch: main\n${withPolicy ? REPOSITORY_UPDATES : ''}`,
    );
    repo.write(
      'servers/memory.yaml',
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: memory, labels: { team: platform } }\nspec:\n  package: { registryType: npm, identifier: "@modelcontextprotocol/server-memory", version: "2026.8.31" }\n  transport: stdio\n${withPolicy ? SERVER_UPDATES : ''}`,
    );
    repo.write(
      'environments/dev.yaml',
      `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n    - { name: laptop, provider: client-config, clients: [claude-code], home: "${home}" }\n  servers:\n    - name: memory\n`,
    );
    repo.commitAll('config');
    try {
      const { plan } = await planRun({ repoDir: repo.dir });
      plans.push(JSON.parse(JSON.stringify(plan, (key, value) => (key === 'revision' ? undefined : value))));
    } finally {
      repo.cleanup();
    }
  }
  assert.deepEqual(plans[1], plans[0]);
  assert.match(JSON.stringify(plans[0]), /"create"/);
});

test('pull request templates: only update.* variables, no partials or prototype access, must parse', async () => {
  const cases: [string, RegExp][] = [
    ['"{{> evil}}"', /spec\.updates\.pullRequests\.branch: template: .*partial/i],
    ['"{{update.constructor}}"', /spec\.updates\.pullRequests\.branch: template: .*"constructor" is refused/],
    ['"{{update.name"', /spec\.updates\.pullRequests\.branch: template: .*(Expecting|Parse|parse)/],
    [
      '"{{target.host}}-{{update.version}}"',
      /unknown variable "target\.host" \(use update\.name, update\.group/,
    ],
  ];
  for (const [i, [template, message]] of cases.entries()) {
    const dir = join(work, `template-${i}`);
    cpSync(BASE_REPO, dir, { recursive: true });
    const file = join(dir, 'mcp-gitops.yaml');
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}  updates:\n    pullRequests:\n      branch: ${template}\n`,
    );
    const { diagnostics } = await runValidation({ root: dir, source: 'worktree' });
    const errors = diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1, `${template}: ${JSON.stringify(errors)}`);
    assert.equal(errors[0]?.file, 'mcp-gitops.yaml');
    assert.equal(errors[0]?.line, 10);
    assert.match(errors[0]?.message ?? '', message, template);
  }
});
