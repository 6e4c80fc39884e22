import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluatePolicies } from '../../src/policy/evaluate-policies.js';
import { scanPlaintextSecrets } from '../../src/policy/scan-plaintext-secrets.js';
import { secretKeyKind } from '../../src/policy/secret-like-key.js';
import { configFromYaml } from '../resolve/config-from-yaml.js';

/**
 * Canaries: shape-correct but fake, assembled at run time so this repository never contains a
 * string that a secret scanner (ours or GitHub's) would flag.
 */
const ALNUM = 'Qw3rTy7uI0pAs9dF2gH5jK8lZx4cV1bN6mLk';
function fake(length: number, alphabet = ALNUM, seed = 7): string {
  let out = '';
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += alphabet[state % alphabet.length];
  }
  return out;
}
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = `${ALNUM}+/`;
const b64url = (s: string) => Buffer.from(s).toString('base64url');

const samples: { key: string; value: string; secret?: string; looksLike: RegExp }[] = [
  { key: 'GITHUB_TOKEN', value: ['gh', 'p_', fake(36)].join(''), looksLike: /GitHub personal access token/ },
  { key: 'oauth', value: ['gh', 'o_', fake(36, ALNUM, 2)].join(''), looksLike: /GitHub OAuth/ },
  { key: 'u2s', value: ['gh', 'u_', fake(36, ALNUM, 3)].join(''), looksLike: /GitHub user-to-server/ },
  { key: 's2s', value: ['gh', 's_', fake(36, ALNUM, 4)].join(''), looksLike: /GitHub server-to-server/ },
  { key: 'refresh', value: ['gh', 'r_', fake(36, ALNUM, 5)].join(''), looksLike: /GitHub refresh/ },
  {
    key: 'fine',
    value: ['github', '_pat_', fake(22), '_', fake(59, ALNUM, 9)].join(''),
    looksLike: /GitHub fine-grained/,
  },
  { key: 'gitlab', value: ['gl', 'pat-', fake(20)].join(''), looksLike: /GitLab personal access token/ },
  { key: 'aws_id', value: ['AK', 'IA', fake(16, UPPER)].join(''), looksLike: /AWS access key id/ },
  { key: 'sts_id', value: ['AS', 'IA', fake(16, UPPER, 11)].join(''), looksLike: /AWS access key id/ },
  { key: 'aws_secret_access_key', value: fake(40, B64, 13), looksLike: /AWS secret access key/ },
  { key: 'google', value: ['AI', 'za', fake(35, ALNUM, 17)].join(''), looksLike: /Google API key/ },
  { key: 'gcp_oauth', value: ['ya', '29.', fake(40, ALNUM, 19)].join(''), looksLike: /Google OAuth/ },
  {
    key: 'slack_bot',
    value: ['xo', 'xb-', fake(12, '0123456789'), '-', fake(24)].join(''),
    looksLike: /Slack token/,
  },
  {
    key: 'slack_webhook',
    value: [
      'https://hooks.',
      'slack.com/services/T',
      fake(8, UPPER),
      '/B',
      fake(8, UPPER, 3),
      '/',
      fake(24),
    ].join(''),
    looksLike: /Slack incoming webhook/,
  },
  {
    key: 'stripe',
    value: ['sk', '_live_', fake(24, ALNUM, 23)].join(''),
    looksLike: /Stripe live secret key/,
  },
  {
    key: 'stripe_restricted',
    value: ['rk', '_live_', fake(24, ALNUM, 29)].join(''),
    looksLike: /Stripe live secret key/,
  },
  { key: 'openai', value: ['s', 'k-', fake(48, ALNUM, 31)].join(''), looksLike: /OpenAI API key/ },
  {
    key: 'openai_project',
    value: ['s', 'k-proj-', fake(64, ALNUM, 37)].join(''),
    looksLike: /OpenAI API key/,
  },
  {
    key: 'anthropic',
    value: ['s', 'k-ant-api03-', fake(80, ALNUM, 41)].join(''),
    looksLike: /Anthropic API key/,
  },
  {
    key: 'jwt',
    value: [
      b64url('{"alg":"HS256","typ":"JWT"}'),
      b64url('{"sub":"canary","iat":1}'),
      fake(43, ALNUM, 43),
    ].join('.'),
    looksLike: /JSON Web Token/,
  },
  {
    key: 'database',
    value: ['postgres://app:', fake(20, ALNUM, 47), '@db.internal:5432/app'].join(''),
    secret: fake(20, ALNUM, 47),
    looksLike: /URL with an embedded password/,
  },
  {
    key: 'API_KEY',
    value: fake(32, B64, 53),
    looksLike: /plaintext value under secret-like key "API_KEY" \(not a reference, template or placeholder\)/,
  },
  {
    key: 'OPENAI_KEY',
    value: fake(32, B64, 67),
    looksLike: /high-entropy value under secret-like key "OPENAI_KEY" looks like a plaintext secret/,
  },
];

const privateKey = fake(64, B64, 59);
const lines = [
  'apiVersion: mcp-gitops/v1',
  'kind: Server',
  'metadata: { name: leaky }',
  'spec:',
  '  transport: stdio',
  '  command: { path: /usr/bin/leaky }',
  '  env:',
  ...samples.map((s) => `    ${s.key}: "${s.value}"`),
  `    # pasted by mistake: ${samples[0]!.value.replace(/.$/, 'Z')}`,
  '    KEY_PEM: |',
  `      -----BEGIN ${'RSA PRIVATE'} KEY-----`,
  `      ${privateKey}`,
  `      -----END ${'RSA PRIVATE'} KEY-----`,
  '    REF_TOKEN: env:GITHUB_TOKEN',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${…} reference in the YAML, not a JS template
  '    DB_PASSWORD: ${DB_PASSWORD_FROM_THE_ENVIRONMENT_9f8e7d}',
  '    AUTH_HEADER_VALUE: "{{vars.authorizationHeaderForThisServer}}"',
  '    API_KEY_FILE: /run/secrets/Xy7Qp3Lm9Zt2Wv5Rk8Jn',
  '    PASSWORD: changeme-changeme-changeme',
  '    NAME: a-perfectly-ordinary-value-here',
  '',
];
const text = lines.join('\n');

test('every token family is found at its exact line:col, and the value is never echoed', () => {
  const findings = scanPlaintextSecrets(configFromYaml({ 'servers/leaky.yaml': text }));
  const expected = samples.map((s, i) => {
    const secret = s.secret ?? s.value;
    return { line: 8 + i, col: lines[7 + i]!.indexOf(secret) + 1, looksLike: s.looksLike, secret };
  });
  const commentLine = 8 + samples.length;
  expected.push({
    line: commentLine,
    col: lines[commentLine - 1]!.indexOf('gh') + 1,
    looksLike: /GitHub personal/,
    secret: 'x',
  });
  expected.push({ line: commentLine + 2, col: 7, looksLike: /private key block/, secret: privateKey });
  assert.deepEqual(
    findings.map((f) => [f.line, f.col]),
    expected.map((e) => [e.line, e.col]),
  );
  findings.forEach((f, i) => {
    assert.match(f.message, expected[i]!.looksLike);
    for (const s of samples)
      assert.ok(!f.message.includes(s.value.slice(4, 16)), `value echoed in: ${f.message}`);
    assert.ok(!f.message.includes(privateKey.slice(0, 12)));
  });
});

test('evaluatePolicies runs the scanner only when the repository enables it', () => {
  const repo = (policies: string) =>
    `apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: r }\nspec:\n  branch: main\n  policies: [${policies}]\n`;
  const on = evaluatePolicies(
    configFromYaml({ 'mcp-gitops.yaml': repo('no-plaintext-secrets'), 'servers/leaky.yaml': text }),
  );
  assert.equal(on.length, samples.length + 2);
  assert.ok(
    on.every(
      (d) =>
        d.rule === 'policy/no-plaintext-secrets' && d.severity === 'error' && d.file === 'servers/leaky.yaml',
    ),
  );
  const off = evaluatePolicies(configFromYaml({ 'mcp-gitops.yaml': repo(''), 'servers/leaky.yaml': text }));
  assert.deepEqual(off, []);
});

test('token shapes are found in any YAML file of the repo, not only in resources', () => {
  const token = ['gl', 'pat-', fake(20, ALNUM, 61)].join('');
  const ci = `on: push\njobs:\n  x:\n    env: { GITLAB: ${token} }\n`;
  const config = configFromYaml({});
  config.files.push({ path: '.github/workflows/ci.yml', text: ci }, { path: 'notes.md', text: token });
  assert.deepEqual(scanPlaintextSecrets(config), [
    {
      file: '.github/workflows/ci.yml',
      line: 4,
      col: ci.split('\n')[3]!.indexOf(token) + 1,
      message:
        'looks like a GitLab personal access token (glpat-); keep the value out of git and reference it (secrets: [{ name: VAR, ref: env:VAR | file:PATH }])',
    },
  ]);
});

test('which key names a credential, which are ambiguous, which are about a secret', () => {
  const kinds: Record<string, 'credential' | 'ambiguous' | undefined> = {
    SMITHERY_API_KEY: 'credential',
    apiKey: 'credential',
    'X-API-Key': 'credential',
    Authorization: 'credential',
    'Proxy-Authorization': 'credential',
    clientSecret: 'credential',
    CLIENT_SECRET: 'credential',
    PASSWORD: 'credential',
    DB_PASS: 'credential',
    DB_PWD: 'credential',
    GITHUB_TOKEN: 'credential',
    accessToken: 'credential',
    ACCESSTOKEN: 'credential',
    'X-Auth-Token': 'credential',
    AWS_SECRET_ACCESS_KEY: 'credential',
    ACCESS_KEY: 'credential',
    SECRET_KEY: 'credential',
    PRIVATE_KEY: 'credential',
    SIGNING_KEY: 'credential',
    'Ocp-Apim-Subscription-Key': 'credential',
    SECRET_KEY_BASE: 'credential',
    GOOGLE_CREDENTIALS_JSON: 'credential',
    API_KEY_2: 'credential',
    GITHUB_PAT: 'credential',
    KEY: 'ambiguous',
    SORT_KEY: 'ambiguous',
    PRIMARY_KEY: 'ambiguous',
    CACHE_KEY: 'ambiguous',
    OPENAI_KEY: 'ambiguous',
    PUBLIC_KEY: 'ambiguous',
    KEY_PEM: 'ambiguous',
    AUTH: 'ambiguous',
    SESSION: 'ambiguous',
    Cookie: 'ambiguous',
    PWD: 'ambiguous',
    KEY_FILE: undefined,
    API_KEY_FILE: undefined,
    TOKEN_LIMIT: undefined,
    MAX_TOKENS: undefined,
    MAX_TOKEN: undefined,
    tokenUrl: undefined,
    TOKEN_TYPE: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    SECRET_NAME: undefined,
    secretRef: undefined,
    PASSWORD_MIN_LENGTH: undefined,
    monkey: undefined,
    LOG_LEVEL: undefined,
  };
  const got = Object.fromEntries(Object.keys(kinds).map((k) => [k, secretKeyKind(k)]));
  assert.deepEqual(got, kinds);
});

/** One Server document whose env holds `entries` (already YAML scalars), one a line from line 6. */
function envServer(entries: [string, string][]): string {
  return [
    'apiVersion: mcp-gitops/v1',
    'kind: Server',
    'metadata: { name: s }',
    'spec:',
    '  env:',
    ...entries.map(([k, v]) => `    ${k}: ${v}`),
    '',
  ].join('\n');
}

test('ordinary values under ambiguous or about-a-secret names are not findings', () => {
  const text = envServer([
    ['SORT_KEY', 'created_at'],
    ['PRIMARY_KEY', 'id'],
    ['CACHE_KEY', '"user:{id}:profile"'],
    ['ROUTING_KEY', 'logs.info'],
    ['KEY', 'name'],
    ['KEY_FILE', '/etc/ssl/private/server.key'],
    ['TOKEN_LIMIT', '"4096"'],
    ['MAX_TOKENS', '"8192"'],
    ['tokenUrl', 'https://auth.example.com/oauth/token'],
    ['AUTH', 'oauth'],
    ['SESSION', 'cookie'],
    ['PWD', '/home/me/src/app'],
    ['SECRET_NAME', 'mcp-secrets'],
    ['OPENAI_KEY', '00000000-0000-0000-0000-000000000000'],
    // Under credential names: booleans, small numbers and paths cannot be credentials.
    ['REQUIRE_PASSWORD', '"true"'],
    ['API_KEY', '"off"'],
    ['SERVICE_TOKEN', '"4096"'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '~/.config/gcloud/sa.json'],
    ['PRIVATE_KEY', '/run/secrets/private-key'],
    ['CLIENT_SECRET', '""'],
  ]);
  assert.deepEqual(scanPlaintextSecrets(configFromYaml({ 'servers/s.yaml': text })), []);
});

test('under a credential name a short or low-entropy value is a finding at the value, never echoed', () => {
  const uuid = ['4dcd141d', '3434', '47d9', 'bb6d', 'd0818170c4a4'].join('-'); // entropy 3.42 < 3.5
  const entries: [string, string, string][] = [
    ['PASSWORD', 'hunter2', 'hunter2'],
    ['DB_PASS', '"s3cr3t!"', 's3cr3t!'],
    ['SMITHERY_API_KEY', uuid, uuid],
    ['clientSecret', "'abc123'", 'abc123'],
    ['GITHUB_TOKEN_2', '"1234567890123"', '1234567890123'],
    ['Authorization', '"Basic a"', 'a'],
    ['X_API_KEY', '"/9j+Qw3rTy7uI0pAs9dF2gH5jK8lZx4c"', '/9j+Qw3rTy7uI0pAs9dF2gH5jK8lZx4c'],
  ];
  const text = envServer(entries.map(([k, v]) => [k, v]));
  const lines = text.split('\n');
  const findings = scanPlaintextSecrets(configFromYaml({ 'servers/s.yaml': text }));
  assert.deepEqual(
    findings.map((f) => [f.line, f.col]),
    entries.map(([, , secret], i) => [6 + i, lines[5 + i]!.lastIndexOf(secret) + 1]),
  );
  findings.forEach((f, i) => {
    const [key, , secret] = entries[i]!;
    assert.equal(
      f.message,
      `plaintext value under secret-like key "${key}" (not a reference, template or placeholder); keep the value out of git and reference it (secrets: [{ name: VAR, ref: env:VAR | file:PATH }])`,
    );
    if (secret.length > 1) assert.ok(!f.message.includes(secret));
  });
});

test('a block scalar under a credential name is located at its first line', () => {
  const text = envServer([['SERVICE_PASSWORD', '|\n      correct horse\n      battery staple']]);
  const findings = scanPlaintextSecrets(configFromYaml({ 'servers/s.yaml': text }));
  assert.deepEqual(
    findings.map((f) => [f.line, f.col]),
    [[7, 7]],
  );
});

test('a UUID under an ambiguous name is flagged whatever its digits', () => {
  const hex = '0123456789abcdef';
  for (let seed = 1; seed <= 200; seed++) {
    const id = fake(32, hex, seed);
    const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-a${id.slice(17, 20)}-${id.slice(20)}`;
    const text = envServer([['OPENAI_KEY', uuid]]);
    assert.equal(scanPlaintextSecrets(configFromYaml({ 'servers/s.yaml': text })).length, 1, uuid);
  }
});

test('a random key that starts with "/" is not taken for a path under an ambiguous name', () => {
  const key = `/${fake(31, B64, 71)}`;
  const text = envServer([
    ['OPENAI_KEY', JSON.stringify(key)],
    ['CACHE_KEY', '/var/cache/mcp/index'],
  ]);
  const findings = scanPlaintextSecrets(configFromYaml({ 'servers/s.yaml': text }));
  assert.deepEqual(
    findings.map((f) => [f.line, f.col, f.message.split(';')[0]]),
    [[6, 18, 'high-entropy value under secret-like key "OPENAI_KEY" looks like a plaintext secret']],
  );
});
