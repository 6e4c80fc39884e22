/**
 * Property tests of `no-plaintext-secrets` for values under names that say "credential": random
 * keys of the shapes people paste (UUIDs, hex, base64, base64url) are caught every time, at their
 * exact FILE:LINE:COL, and never echoed; placeholders, references and templates under the same
 * names never are. The main property runs one generated config repo through the real CLI
 * (`validate --format json`), so loading, locating and formatting are all part of it.
 *
 * Random values come from a seeded PRNG (mulberry32): a failure reproduces with the same seed,
 * printed in the assertion message. `SECRET_PROPERTY_SEED=<n>` tries another seed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { scanPlaintextSecrets } from '../../src/policy/scan-plaintext-secrets.js';
import { configFromYaml } from '../resolve/config-from-yaml.js';
import { runCli } from '../validate/run-cli.js';

const SEED = Number(process.env.SECRET_PROPERTY_SEED ?? 0x5eed2026);

class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32: uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(0, 255)));
  }
}

type Shape = 'uuid' | 'UUID' | 'hex' | 'base64' | 'base64url';
const SHAPES: readonly Shape[] = ['uuid', 'UUID', 'hex', 'base64', 'base64url'];

function randomValue(r: Random, shape: Shape): string {
  switch (shape) {
    case 'uuid':
    case 'UUID': {
      const b = r.bytes(16);
      b[6] = (b[6]! & 0x0f) | 0x40; // version 4
      b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
      const h = b.toString('hex');
      const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      return shape === 'UUID' ? id.toUpperCase() : id;
    }
    case 'hex': {
      const length = r.int(16, 64);
      const h = r.bytes(32).toString('hex').slice(0, length);
      return r.next() < 0.5 ? h : h.toUpperCase();
    }
    case 'base64':
      return r.bytes(r.int(12, 48)).toString('base64'); // 16–64 characters, padded
    case 'base64url':
      return r.bytes(r.int(12, 48)).toString('base64url'); // 16–64 characters
  }
}

const VENDORS = [
  'SMITHERY',
  'OPENAI',
  'ANTHROPIC',
  'GITHUB',
  'SLACK',
  'NOTION',
  'LINEAR',
  'STRIPE',
  'BRAVE',
  'TAVILY',
  'EXA',
  'SENTRY',
  'DATADOG',
  'JIRA',
  'FIGMA',
  'SUPABASE',
];
/** Names under which every value must be a finding (unless a placeholder, reference or template). */
const ENV_NAMES: readonly ((vendor: string) => string)[] = [
  (v) => `${v}_API_KEY`,
  (v) => `${v}_TOKEN`,
  (v) => `${v}_SECRET`,
  (v) => `${v}_CLIENT_SECRET`,
  (v) => `${v}_ACCESS_TOKEN`,
  (v) => `${v}_API_KEY_2`,
  (v) => `${v}_PASSWORD`,
];

interface Entry {
  /** The YAML key, and the scalar as the scanner sees it. */
  key: string;
  value: string;
  /** The random part (after `Bearer ` etc.), or undefined for a negative. */
  secret?: string;
  shape?: Shape;
}

/** A header of a remote server: the auth scheme (if any) goes in front of the random part. */
function headerEntry(r: Random, name: string): Entry {
  const shape = r.pick(SHAPES);
  const secret = randomValue(r, shape);
  const scheme = name === 'Authorization' ? r.pick(['Bearer ', 'Bearer ', 'Basic ', 'Token ', '']) : '';
  return { key: name, value: `${scheme}${secret}`, secret, shape };
}

const HEADER_NAMES = ['Authorization', 'X-API-Key', 'X-Auth-Token', 'Api-Key', 'X-Smithery-Token'];

/** Placeholders, references and templates: never findings, under any of the names above. */
function negativeValue(r: Random, key: string): string {
  const kind = r.int(0, 2);
  if (kind === 0) {
    const p = r.pick([
      '',
      '<your-api-key>',
      '<TOKEN>',
      'changeme',
      'change-me',
      'CHANGE_ME',
      'REPLACE_ME',
      'replace-me',
      'TODO',
      'tbd',
      'FIXME',
      'example',
      'placeholder',
      'dummy',
      'none',
      'null',
      'your-api-key',
      'YOUR_TOKEN_HERE',
      'paste-your-token-here',
      'xxxxxxxxxxxxxxxx',
      'XXXX-XXXX-XXXX-XXXX',
      'sk-xxxxxxxxxxxxxxxx',
      'ghp_...',
      '***',
      '...',
      'n/a',
      'true',
      'false',
      '4096',
    ]);
    return key === 'Authorization' && p !== '' ? `Bearer ${p}` : p;
  }
  if (kind === 1) {
    const name = key.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    return r.pick([
      `env:${name}`,
      `file:/run/secrets/${name.toLowerCase()}`,
      `file:~/.config/mcp/${name.toLowerCase()}.key`,
      `sops:secrets/prod.enc.yaml#${name}`,
      `vault:secret/data/mcp#${name.toLowerCase()}`,
      `k8s:mcp-secrets/${name.toLowerCase()}`,
    ]);
  }
  const name = key.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const template = r.pick([
    `\${${name}}`,
    `\${env:${name}}`,
    '{{vars.team}}-{{server.name}}',
    '{{environment.name}}',
  ]);
  return key === 'Authorization' ? `Bearer ${template}` : template;
}

/** A YAML scalar for `value`: plain where YAML would read it back as the same string, else quoted. */
function scalar(r: Random, value: string): string {
  const plainOk =
    /^[A-Za-z0-9]/.test(value) &&
    /[g-zG-Z]/.test(value) &&
    !/^[-+]?0[xob]/i.test(value) &&
    !/[:#,[\]{}]/.test(value) &&
    !/^(?:true|false|null|yes|no|on|off|~)$/i.test(value);
  const style = r.int(0, 2);
  if (style === 0 && plainOk) return value;
  if (style === 1) return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

interface Expected {
  file: string;
  line: number;
  col: number;
  key: string;
  secret: string;
  shape: Shape;
}

interface Repo {
  files: Record<string, string>;
  positives: Expected[];
  /** FILE:LINE:COL of every negative (no finding may be there; a line may also hold positives). */
  negatives: Set<string>;
  secrets: string[];
}

/**
 * A config repo: `servers` servers (package servers with env, every fourth a remote server with
 * headers), one environment listing them all with `overrides.env` for package servers. Each map
 * mixes positives and negatives; some are written as one-line flow maps (several values a line).
 */
function generateRepo(seed: number, servers: number): Repo {
  const r = new Random(seed);
  const files: Record<string, string> = {};
  const positives: Expected[] = [];
  const negatives = new Set<string>();
  const secrets: string[] = [];

  /** Writes `entries` as a block map at `indent` (or one flow map) from `lines.length + 1` on. */
  const writeMap = (file: string, lines: string[], indent: string, field: string, entries: Entry[]) => {
    const flow = entries.length <= 3 && r.next() < 0.3;
    if (flow) {
      let line = `${indent}${field}: { `;
      const marks: { col: number; entry: Entry }[] = [];
      entries.forEach((e, i) => {
        line += `${i === 0 ? '' : ', '}${e.key}: `;
        const written = scalar(r, e.value);
        const at = line.length + (written.startsWith('"') || written.startsWith("'") ? 1 : 0);
        marks.push({
          col: at + (e.secret === undefined ? 0 : e.value.length - e.secret.length) + 1,
          entry: e,
        });
        line += written;
      });
      lines.push(`${line} }`);
      for (const { col, entry } of marks) record(file, lines.length, col, entry);
      return;
    }
    lines.push(`${indent}${field}:`);
    for (const e of entries) {
      const prefix = `${indent}  ${e.key}: `;
      const written = scalar(r, e.value);
      const at = prefix.length + (written.startsWith('"') || written.startsWith("'") ? 1 : 0);
      lines.push(prefix + written);
      record(file, lines.length, at + (e.secret === undefined ? 0 : e.value.length - e.secret.length) + 1, e);
    }
  };
  const record = (file: string, line: number, col: number, e: Entry) => {
    if (e.secret === undefined) negatives.add(`${file}:${line}:${col}`);
    else {
      positives.push({ file, line, col, key: e.key, secret: e.secret, shape: e.shape! });
      secrets.push(e.secret);
    }
  };
  /** Distinct env names, a positive or (about one in four) a negative each. */
  const envEntries = (count: number): Entry[] => {
    const names = new Set<string>();
    if (r.next() < 0.3) names.add('PASSWORD');
    while (names.size < count) names.add(r.pick(ENV_NAMES)(r.pick(VENDORS)));
    return [...names].map((key) =>
      r.next() < 0.25
        ? { key, value: negativeValue(r, key) }
        : (() => {
            const shape = r.pick(SHAPES);
            const secret = randomValue(r, shape);
            return { key, value: secret, secret, shape };
          })(),
    );
  };

  const names: string[] = [];
  const remote = new Set<string>();
  for (let i = 0; i < servers; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    const file = `servers/${name}.yaml`;
    names.push(name);
    const lines = ['apiVersion: mcp-gitops/v1', 'kind: Server', 'metadata:', `  name: ${name}`, 'spec:'];
    if (i % 4 === 3) {
      remote.add(name);
      lines.push('  remote:', `    url: https://mcp.example.com/${name}/mcp`);
      const headers = HEADER_NAMES.filter(() => r.next() < 0.8).map((h) =>
        r.next() < 0.25 ? { key: h, value: negativeValue(r, h) } : headerEntry(r, h),
      );
      if (headers.length === 0) headers.push(headerEntry(r, 'X-API-Key'));
      writeMap(file, lines, '    ', 'headers', headers);
      lines.push('  transport: streamable-http');
    } else {
      lines.push(
        '  package:',
        '    registryType: npm',
        `    identifier: "@example/${name}"`,
        '    version: "1.0.0"',
        '  transport: stdio',
      );
      writeMap(file, lines, '  ', 'env', [{ key: 'LOG_LEVEL', value: 'info' }, ...envEntries(r.int(1, 6))]);
    }
    files[file] = `${lines.join('\n')}\n`;
  }

  const env = [
    'apiVersion: mcp-gitops/v1',
    'kind: Environment',
    'metadata:',
    '  name: dev',
    'spec:',
    '  vars: { team: platform }',
    '  sync: { drift: correct, prune: false, maxDeletions: 3 }',
    '  targets:',
    '    - name: laptop',
    '      provider: client-config',
    '      host: local',
    '      clients: [claude-code]',
    '  servers:',
  ];
  for (const name of names) {
    env.push(`    - name: ${name}`);
    if (remote.has(name) || r.next() < 0.3) continue;
    env.push('      overrides:');
    writeMap('environments/dev.yaml', env, '        ', 'env', envEntries(r.int(1, 3)));
  }
  files['environments/dev.yaml'] = `${env.join('\n')}\n`;
  files['mcp-gitops.yaml'] =
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: property }\nspec:\n  branch: main\n  policies: [no-plaintext-secrets]\n';
  return { files, positives, negatives, secrets };
}

const work = mkdtempSync(join(tmpdir(), 'mcp-gitops-secret-property-'));
after(() => rmSync(work, { recursive: true, force: true }));

function writeRepo(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

interface JsonDiagnostic {
  file: string;
  line: number;
  col: number;
  severity: string;
  message: string;
  rule: string;
}

describe('no-plaintext-secrets: values under credential names, at random', () => {
  const repo = generateRepo(SEED, 320);
  const where = (f: { file: string; line: number; col: number }) => `${f.file}:${f.line}:${f.col}`;

  test('the generated repo holds 1,000+ random keys of every shape, in env, headers and overrides', () => {
    assert.ok(repo.positives.length >= 1000, `${repo.positives.length} positives`);
    assert.ok(repo.negatives.size >= 200, `${repo.negatives.size} negatives`);
    const by = (p: (e: Expected) => boolean) => repo.positives.filter(p).length;
    assert.ok(by((e) => e.file.startsWith('environments/')) >= 100, 'overrides.env');
    assert.ok(by((e) => e.key === 'Authorization') >= 30, 'Authorization headers');
    assert.ok(by((e) => e.key === 'X-API-Key') >= 30, 'X-API-Key headers');
    assert.ok(by((e) => e.key === 'PASSWORD') >= 30, 'PASSWORD');
    for (const shape of SHAPES) assert.ok(by((e) => e.shape === shape) >= 150, `too few ${shape} values`);
  });

  test('validate (the CLI) flags every one at its FILE:LINE:COL, names its key, and echoes none', async () => {
    const dir = join(work, 'repo');
    writeRepo(dir, repo.files);
    const result = await runCli(['validate', '--repo', dir, '--format', 'json']);
    assert.equal(result.code, 1, result.stderr);
    const { diagnostics } = JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[] };
    const others = diagnostics.filter((d) => d.rule !== 'policy/no-plaintext-secrets');
    assert.deepEqual(others, [], 'the repo is otherwise valid');

    const expected = new Map(repo.positives.map((e) => [where(e), e]));
    const found = new Map(diagnostics.map((d) => [where(d), d]));
    const missed = repo.positives.filter((e) => !found.has(where(e)));
    assert.deepEqual(
      missed.map((e) => `${where(e)} ${e.key}`),
      [],
      `seed ${SEED}: missed (or found elsewhere on the line)`,
    );
    const extra = diagnostics.filter((d) => !expected.has(where(d)));
    assert.deepEqual(extra, [], `seed ${SEED}: findings where no secret was written`);
    assert.equal(diagnostics.length, repo.positives.length, 'one finding per value');
    for (const d of diagnostics) {
      assert.equal(d.severity, 'error');
      assert.ok(!repo.negatives.has(where(d)), `negative flagged at ${where(d)}`);
      const e = expected.get(where(d))!;
      assert.ok(d.message.includes(`"${e.key}"`), `${where(d)} does not name ${e.key}: ${d.message}`);
    }
    const output = result.stdout + result.stderr;
    const echoed = repo.secrets.filter((s) => output.includes(s.slice(0, 8)));
    assert.deepEqual(echoed, [], 'values (or their first 8 characters) in the output');
  });
});

describe('no-plaintext-secrets: the scanner alone, more seeds', () => {
  test('10 more repos: every positive found at its position, no negative, nothing echoed', () => {
    for (let k = 1; k <= 10; k++) {
      const seed = (SEED + k * 7919) >>> 0;
      const repo = generateRepo(seed, 40);
      const findings = scanPlaintextSecrets(configFromYaml(repo.files));
      const got = findings.map((f) => `${f.file}:${f.line}:${f.col}`).sort();
      const want = repo.positives.map((e) => `${e.file}:${e.line}:${e.col}`).sort();
      assert.deepEqual(got, want, `seed ${seed}`);
      const text = findings.map((f) => f.message).join('\n');
      for (const s of repo.secrets) assert.ok(!text.includes(s.slice(0, 8)), `seed ${seed}: echoed`);
    }
  });

  test('1,000 placeholders, references and templates under credential names: none flagged', () => {
    const r = new Random(SEED ^ 0x9e3779b9);
    const names = [...ENV_NAMES.map((n) => n(r.pick(VENDORS))), 'PASSWORD', 'clientSecret', ...HEADER_NAMES];
    const keys = Array.from({ length: 1000 }, (_, i) => [r.pick(names), i] as const);
    const server = (value: (key: string) => string) =>
      [
        'apiVersion: mcp-gitops/v1',
        'kind: Server',
        'metadata: { name: negatives }',
        'spec:',
        '  env:',
        ...keys.map(([key, i]) => `    ${key}_${i}: ${scalar(r, value(key))}`),
        '',
      ].join('\n');
    const negatives = server((key) => negativeValue(r, key));
    assert.deepEqual(scanPlaintextSecrets(configFromYaml({ 'servers/negatives.yaml': negatives })), []);
    // The control: the same names, each with a random key, are all flagged.
    const positives = server(() => randomValue(r, r.pick(SHAPES)));
    assert.equal(scanPlaintextSecrets(configFromYaml({ 'servers/positives.yaml': positives })).length, 1000);
  });
});
