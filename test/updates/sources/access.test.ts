/**
 * Which endpoint and credential each source gets. npm reads the user's npm config from files
 * written here (env `NPM_CONFIG_USERCONFIG`, or `.npmrc` in the home given), never a config repo's.
 * The end-to-end case runs the npm source against a real verdaccio on loopback with a token from
 * npmrc, beside a second loopback HTTP server that only records the headers it is sent (it is not a
 * registry: it answers 404) to show the token never goes to another registry.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: npmrc's own ${VAR} syntax, written literally
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSecretResolver } from '../../../src/secrets/resolve-secret.js';
import { type ResolveAccessOptions, resolveAccess } from '../../../src/updates/sources/access.js';
import { UpdateSourceError } from '../../../src/updates/sources/errors.js';
import { versionSource } from '../../../src/updates/sources/index.js';
import type { RegistryAccess } from '../../../src/updates/types.js';
import { startVerdaccio, type Verdaccio } from '../../helpers/verdaccio.js';

const CANARY = 'CANARY-access-token-9d8c7b';
let dir: string;
let home: string;

before(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'mcp-gitops-access-'));
  home = path.join(dir, 'home');
  await fs.mkdir(home);
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function resolver(env: NodeJS.ProcessEnv) {
  const secrets = createSecretResolver({ repoRoot: dir, env, home });
  return (ref: string) => secrets.resolve(ref);
}

function resolve(
  options: Omit<ResolveAccessOptions, 'resolveSecret' | 'homeDir'> & { env: NodeJS.ProcessEnv },
) {
  return resolveAccess({ ...options, resolveSecret: resolver(options.env), homeDir: home });
}

describe('registry access resolution', () => {
  test('npm: the config endpoint and its references win', async () => {
    const access = await resolve({
      kind: 'npm',
      identifier: 'pkg',
      registries: { npm: { url: 'https://npm.corp.test/repo/', token: { ref: 'env:CORP_NPM' } } },
      env: { CORP_NPM: CANARY },
    });
    assert.deepEqual(access, { url: 'https://npm.corp.test/repo', token: CANARY });
  });

  test('npm: without config, the userconfig file picks registry and token (${VAR} expanded)', async () => {
    const userconfig = path.join(dir, 'userconfig');
    await fs.writeFile(
      userconfig,
      [
        'registry=https://mirror.test/npm/',
        '//mirror.test/npm/:_authToken=${MIRROR_TOKEN}',
        '@acme:registry=https://acme.test/',
        '//acme.test/:_authToken=acme-token',
      ].join('\n'),
    );
    const env = { NPM_CONFIG_USERCONFIG: userconfig, MIRROR_TOKEN: 'mirror-token' };
    assert.deepEqual(await resolve({ kind: 'npm', identifier: 'plain', env }), {
      url: 'https://mirror.test/npm',
      token: 'mirror-token',
    });
    assert.deepEqual(await resolve({ kind: 'npm', identifier: '@acme/x', env }), {
      url: 'https://acme.test',
      token: 'acme-token',
    });
    // npm_config_registry overrides the file's registry; the mirror's token does not follow it.
    assert.deepEqual(
      await resolve({
        kind: 'npm',
        identifier: 'plain',
        env: { ...env, npm_config_registry: 'https://env.test/' },
      }),
      { url: 'https://env.test' },
    );
  });

  test('npm: ~/.npmrc in the home given; defaults to npmjs with nothing', async () => {
    assert.deepEqual(await resolve({ kind: 'npm', identifier: 'p', env: {} }), {
      url: 'https://registry.npmjs.org',
    });
    await fs.writeFile(
      path.join(home, '.npmrc'),
      'registry=https://home.test/\n//home.test/:_authToken=home-token\n',
    );
    try {
      assert.deepEqual(await resolve({ kind: 'npm', identifier: 'p', env: {} }), {
        url: 'https://home.test',
        token: 'home-token',
      });
    } finally {
      await fs.rm(path.join(home, '.npmrc'));
    }
  });

  test('npm: credentials written into a registry URL move out of it, as basic auth', async () => {
    const userconfig = path.join(dir, 'userconfig-userinfo');
    await fs.writeFile(userconfig, `registry=https://old:${CANARY}@legacy.test/npm/\n`);
    assert.deepEqual(
      await resolve({ kind: 'npm', identifier: 'p', env: { NPM_CONFIG_USERCONFIG: userconfig } }),
      {
        url: 'https://legacy.test/npm',
        username: 'old',
        password: CANARY,
      },
    );
  });

  test('npm: a config URL pointing elsewhere gets none of the npmrc tokens', async () => {
    const userconfig = path.join(dir, 'userconfig-trusted');
    await fs.writeFile(userconfig, `//trusted.test/:_authToken=${CANARY}\n`);
    const access = await resolve({
      kind: 'npm',
      identifier: 'p',
      registries: { npm: { url: 'https://attacker.test/' } },
      env: { NPM_CONFIG_USERCONFIG: userconfig },
    });
    assert.deepEqual(access, { url: 'https://attacker.test' });
  });

  test('PyPI and the MCP registry: public defaults, or the config endpoint with basic auth', async () => {
    assert.deepEqual(await resolve({ kind: 'pypi', identifier: 'x', env: {} }), { url: 'https://pypi.org' });
    assert.deepEqual(await resolve({ kind: 'mcp', identifier: 'io.github.a/b', env: {} }), {
      url: 'https://registry.modelcontextprotocol.io',
    });
    const access = await resolve({
      kind: 'pypi',
      identifier: 'x',
      registries: {
        pypi: { url: 'https://pypi.corp.test/', username: { ref: 'env:U' }, password: { ref: 'env:P' } },
      },
      env: { U: 'me', P: CANARY },
    });
    assert.deepEqual(access, { url: 'https://pypi.corp.test', username: 'me', password: CANARY });
  });

  test('OCI delegates to the OCI registries list', async () => {
    const access = await resolve({
      kind: 'oci',
      identifier: '127.0.0.1:5000/team/server',
      registries: { oci: [{ host: '127.0.0.1:5000', insecure: true, token: { ref: 'env:OCI' } }] },
      env: { OCI: CANARY },
    });
    assert.deepEqual(access, { url: 'http://127.0.0.1:5000', insecure: true, token: CANARY });
  });

  test('a reference that does not resolve names the reference, never a value', async () => {
    await assert.rejects(
      resolve({
        kind: 'npm',
        identifier: 'p',
        registries: { npm: { token: { ref: 'env:NOT_SET_HERE' } } },
        env: {},
      }),
      (error: Error) => error.message.includes('NOT_SET_HERE'),
    );
  });
});

describe('npm token from npmrc goes only to its registry (real verdaccio)', () => {
  let registry: Verdaccio;
  let probe: http.Server;
  let probeUrl: string;
  const probeHeaders: (string | undefined)[] = [];

  before(async () => {
    registry = await startVerdaccio();
    await registry.seed('@private/npmrc-tool', [
      { version: '1.0.0', publishedAt: '2024-01-01T00:00:00.000Z' },
    ]);
    probe = http.createServer((req, res) => {
      probeHeaders.push(req.headers.authorization);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    probeUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`;
  });
  after(async () => {
    await registry?.stop();
    probe?.closeAllConnections();
    await new Promise((r) => probe?.close(r));
  });

  async function listWith(access: RegistryAccess, identifier: string) {
    const source = await versionSource('npm');
    return source.list(
      { kind: 'npm', identifier, current: '1.0.0' },
      { access, signal: AbortSignal.timeout(30_000), countRequest: () => {} },
    );
  }

  test('the token reaches verdaccio for its packages and never the other scope registry', async () => {
    const userconfig = path.join(dir, 'userconfig-verdaccio');
    const host = new URL(registry.url).host;
    await fs.writeFile(
      userconfig,
      [
        `registry=${registry.url}`,
        `//${host}/:_authToken=\${VERDACCIO_TOKEN}`,
        `@elsewhere:registry=${probeUrl}`,
      ].join('\n'),
    );
    const env = { NPM_CONFIG_USERCONFIG: userconfig, VERDACCIO_TOKEN: registry.token };
    const privateAccess = await resolve({ kind: 'npm', identifier: '@private/npmrc-tool', env });
    assert.equal(privateAccess.token, registry.token);
    const listing = await listWith(privateAccess, '@private/npmrc-tool');
    assert.deepEqual(
      listing.releases.map((r) => r.version),
      ['1.0.0'],
    );

    const otherAccess = await resolve({ kind: 'npm', identifier: '@elsewhere/tool', env });
    assert.deepEqual(otherAccess, { url: probeUrl.replace(/\/$/, '') });
    await assert.rejects(listWith(otherAccess, '@elsewhere/tool'), (error: unknown) => {
      assert.ok(error instanceof UpdateSourceError);
      assert.equal(error.code, 'not-found');
      return true;
    });
    assert.deepEqual(probeHeaders, [undefined]);
  });
});
