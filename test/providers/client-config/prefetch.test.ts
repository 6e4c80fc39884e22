/**
 * The prefetch step without the network: which command fetches which package, how a package
 * manager's failure is read, a runtime missing from the host, `prefetch: false`, and the endpoint
 * starting where the prefetch filled the cache.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { ServerSpec } from '../../../src/core/resources.js';
import { clientConfigProvider as provider } from '../../../src/providers/client-config/index.js';
import {
  dockerReason,
  npmReason,
  prefetchStep,
  uvReason,
} from '../../../src/providers/client-config/prefetch.js';
import { change, desired, listFiles, makeFixture } from './fixture.js';

const npm = (version: string, extra: Partial<ServerSpec['package']> = {}): ServerSpec => ({
  transport: 'stdio',
  package: { registryType: 'npm', identifier: '@modelcontextprotocol/server-memory', version, ...extra },
});
const failed = (stderr: string, exitCode = 1) => ({ exitCode, stdout: '', stderr });

describe('prefetchStep: the fetch for each package runner', () => {
  test('npm: npx installs exactly the pinned version into its own cache and runs `true`, not the server', () => {
    const step = prefetchStep(npm('2026.8.31', { packageArguments: ['--flag'] }))!;
    assert.equal(step.runtime, 'npx');
    assert.equal(step.what, '@modelcontextprotocol/server-memory@2026.8.31');
    assert.deepEqual(step.args, [
      '-y',
      '--package=@modelcontextprotocol/server-memory@2026.8.31',
      '--',
      'true',
    ]);
    // npx's own options (a registry) apply to the fetch too; the server's arguments do not.
    assert.deepEqual(
      prefetchStep(npm('1.0.0', { runtimeArguments: ['--registry=https://npm.example.com/'] }))!.args,
      [
        '-y',
        '--registry=https://npm.example.com/',
        '--package=@modelcontextprotocol/server-memory@1.0.0',
        '--',
        'true',
      ],
    );
  });

  test('pypi: uvx builds the tool environment of id==version; oci: docker pulls the image (tag or digest)', () => {
    const py = prefetchStep({
      transport: 'stdio',
      package: { registryType: 'pypi', identifier: 'mcp-server-time', version: '0.6.2' },
    })!;
    assert.equal(py.runtime, 'uvx');
    assert.deepEqual(py.args, ['--from', 'mcp-server-time==0.6.2', 'python', '-c', 'pass']);
    const oci = (version: string, runtimeArguments?: string[]) =>
      prefetchStep({
        transport: 'stdio',
        package: { registryType: 'oci', identifier: 'ghcr.io/acme/mcp', version, runtimeArguments },
      })!;
    assert.equal(oci('1.2.3').runtime, 'docker');
    assert.deepEqual(oci('1.2.3').args, ['pull', 'ghcr.io/acme/mcp:1.2.3']);
    assert.deepEqual(oci('sha256:abc').args, ['pull', 'ghcr.io/acme/mcp@sha256:abc']);
    assert.deepEqual(oci('1.2.3', ['--platform', 'linux/arm64', '-v', '/x:/x']).args, [
      'pull',
      '--platform',
      'linux/arm64',
      'ghcr.io/acme/mcp:1.2.3',
    ]);
  });

  test('nothing is fetched for command servers, remote URLs, or packages served over HTTP', () => {
    assert.equal(prefetchStep({ transport: 'stdio', command: { path: '/usr/bin/srv' } }), undefined);
    assert.equal(
      prefetchStep({ transport: 'streamable-http', remote: { url: 'https://mcp.example.com/mcp' } }),
      undefined,
    );
    assert.equal(prefetchStep({ ...npm('1.0.0'), transport: 'streamable-http', port: 3001 }), undefined);
  });
});

describe("the package manager's reason for a failed fetch", () => {
  test('npm: the message and the error code, not the notices, log path or stack', () => {
    const etarget = [
      'npm error code ETARGET',
      'npm error notarget No matching version found for @x/y@9.9.9.',
      "npm error notarget In most cases you or one of your dependencies are requesting a package version that doesn't exist.",
      'npm notice',
      'npm notice New minor version of npm available! 11.19.1 -> 11.21.3',
      'npm error A complete log of this run can be found in: /h/.npm/_logs/x-debug-0.log',
      '',
    ].join('\n');
    assert.equal(npmReason(failed(etarget)), 'No matching version found for @x/y@9.9.9 (ETARGET)');
    const e404 = [
      'npm error code E404',
      'npm error 404 Not Found - GET https://registry.npmjs.org/@x%2fnope - Not found',
      'npm error 404',
      "npm error 404  The requested resource '@x/nope@1.0.0' could not be found or you do not have permission to access it.",
    ].join('\n');
    assert.equal(
      npmReason(failed(e404)),
      'Not Found - GET https://registry.npmjs.org/@x%2fnope - Not found (E404)',
    );
    const refused = [
      'npm error code ECONNREFUSED',
      'npm error syscall connect',
      'npm error errno ECONNREFUSED',
      'npm error FetchError: request to http://127.0.0.1:9/@x%2fy failed, reason: connect ECONNREFUSED 127.0.0.1:9',
      'npm error     at ClientRequest.<anonymous> (/usr/lib/node_modules/npm/x.js:130:14)',
    ].join('\n');
    assert.equal(
      npmReason(failed(refused)),
      'FetchError: request to http://127.0.0.1:9/@x%2fy failed, reason: connect ECONNREFUSED 127.0.0.1:9',
    );
    assert.equal(
      npmReason(failed('npm ERR! code E401\nnpm ERR! Unable to authenticate\n')),
      'Unable to authenticate (E401)',
    );
    assert.equal(npmReason(failed('something else broke\n', 3)), 'something else broke');
    assert.equal(npmReason(failed('', 3)), 'exit code 3');
  });

  test('uv: the error and its cause on one line; docker: the daemon’s last word', () => {
    const uv = [
      'error: No solution found when resolving tool dependencies',
      '  cause: Because there is no version of mcp-server-time==99.9.9 and you require mcp-server-time==99.9.9, we can conclude that your requirements are unsatisfiable.',
    ].join('\n');
    assert.equal(
      uvReason(failed(uv)),
      'No solution found when resolving tool dependencies: Because there is no version of mcp-server-time==99.9.9 and you require mcp-server-time==99.9.9, we can conclude that your requirements are unsatisfiable.',
    );
    assert.equal(
      dockerReason(
        failed('Error response from daemon: manifest for ghcr.io/acme/mcp:9 not found: manifest unknown\n'),
      ),
      'manifest for ghcr.io/acme/mcp:9 not found: manifest unknown',
    );
  });
});

describe('prefetch in apply', () => {
  for (const [registryType, runtime] of [
    ['npm', 'npx'],
    ['pypi', 'uvx'],
    ['oci', 'docker'],
  ] as const) {
    test(`a host without ${runtime} fails the change, saying so, and no client file is written`, async (t) => {
      const fx = await makeFixture({ clients: ['claude-code', 'codex'], prefetch: true }, {});
      t.after(fx.cleanup);
      const emptyPath = await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-gitops-nopath-'));
      t.after(() => fs.rm(emptyPath, { recursive: true, force: true }));
      const server = desired('tool', {
        transport: 'stdio',
        package: { registryType, identifier: 'acme-mcp', version: '1.0.0' },
      });
      const saved = process.env.PATH;
      process.env.PATH = emptyPath;
      let result: Awaited<ReturnType<typeof provider.apply>>;
      try {
        result = await provider.apply(fx.ctx, change('create', server));
      } finally {
        process.env.PATH = saved;
      }
      assert.equal(result.outcome, 'failed');
      assert.equal(
        result.message,
        `${runtime} is not installed on laptop; the clients there could not start this server`,
      );
      assert.deepEqual(await listFiles(fx.home), []);
    });
  }

  test('a fetch that outlives prefetchTimeoutMs fails the change, naming the setting', async (t) => {
    const fx = await makeFixture({ clients: ['claude-code'], prefetch: true, prefetchTimeoutMs: 1 }, {});
    t.after(fx.cleanup);
    const result = await provider.apply(fx.ctx, change('create', desired('memory', npm('2026.8.31'))));
    assert.equal(result.outcome, 'failed');
    assert.equal(
      result.message,
      'npm could not fetch @modelcontextprotocol/server-memory@2026.8.31: not done after 1 ms (raise prefetchTimeoutMs on target "laptop")',
    );
    assert.equal(await fs.stat(fx.file('src/app/.mcp.json')).catch(() => undefined), undefined);
  });

  test('prefetch: false registers the entry without fetching anything', async (t) => {
    const fx = await makeFixture({ clients: ['claude-code'], prefetch: false }, {});
    t.after(fx.cleanup);
    // A version that does not exist: fetching it would fail the change.
    const result = await provider.apply(fx.ctx, change('create', desired('memory', npm('9999.0.0'))));
    assert.equal(result.outcome, 'applied', result.message);
    const files = await listFiles(fx.home);
    assert.ok(files.includes('src/app/.mcp.json'));
    assert.deepEqual(
      files.filter((f) => f.startsWith('.npm/')),
      [],
    );
  });

  test('validateTarget checks prefetch and prefetchTimeoutMs', () => {
    const base = { name: 't', provider: 'client-config', clients: ['cursor'] };
    assert.deepEqual(provider.validateTarget({ ...base, prefetch: false, prefetchTimeoutMs: 900_000 }), []);
    assert.deepEqual(provider.validateTarget({ ...base, prefetch: 'no', prefetchTimeoutMs: 0 }), [
      'prefetch: must be true or false',
      'prefetchTimeoutMs: must be a whole number of milliseconds above 0',
    ]);
  });

  test('the endpoint of a package runner starts in the target home with HOME set, where the prefetch put it', async (t) => {
    const fx = await makeFixture({ clients: ['cursor'] }, {});
    t.after(fx.cleanup);
    const endpoint = await provider.endpoint(
      fx.ctx,
      desired('memory', { ...npm('2026.8.31'), env: { A: 'b' } }),
    );
    assert.deepEqual(endpoint, {
      kind: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory@2026.8.31'],
      env: { HOME: fx.home, A: 'b' },
      cwd: fx.home,
    });
    // A command server is launched as before: no HOME or working directory of ours.
    const command = await provider.endpoint(
      fx.ctx,
      desired('cmd', { transport: 'stdio', command: { path: '/usr/bin/srv' }, env: { A: 'b' } }),
    );
    assert.deepEqual(command, { kind: 'stdio', command: '/usr/bin/srv', args: [], env: { A: 'b' } });
  });
});
