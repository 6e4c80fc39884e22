import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { processProvider } from '../../../src/providers/process/index.js';
import { npmReason } from '../../../src/providers/process/install-package.js';
import { renderUnit, systemdQuote } from '../../../src/providers/process/supervise-systemd.js';
import { tempDir } from '../../helpers/mcp-servers.js';
import { change, desiredServer, processContext } from './fixtures.js';

describe('process provider: pure parts', () => {
  test('validateTarget: local host, absolute or ~ baseDir, known supervisor, sane listenHost', () => {
    const target = { name: 't', provider: 'process' };
    assert.deepEqual(processProvider.validateTarget({ ...target, baseDir: '~/.mcp-gitops' }), []);
    assert.deepEqual(
      processProvider.validateTarget({ ...target, baseDir: '/srv/mcp', supervisor: 'pidfile' }),
      [],
    );
    assert.match(
      processProvider.validateTarget({ ...target, baseDir: 'rel/dir' }).join(),
      /absolute or start with ~\//,
    );
    assert.match(
      processProvider.validateTarget({ ...target, supervisor: 'runit' }).join(),
      /supervisor must be one of/,
    );
    assert.match(
      processProvider.validateTarget({ ...target, listenHost: '1.2.3.4; rm' }).join(),
      /listenHost/,
    );
    assert.deepEqual(processProvider.validateTarget({ ...target, host: 'ssh://u@h:22' }), []);
    assert.deepEqual(processProvider.validateTarget({ ...target, logMaxBytes: 65536, keepVersions: 0 }), []);
    assert.match(processProvider.validateTarget({ ...target, logMaxBytes: 1000 }).join(), /logMaxBytes/);
    assert.match(processProvider.validateTarget({ ...target, keepVersions: -1 }).join(), /keepVersions/);
    assert.match(processProvider.validateTarget({ ...target, host: 'docker://x' }).join(), /local or ssh:/);
  });

  test('supports streamable-http and sse servers from npm packages or commands only', () => {
    const target = { name: 't', provider: 'process' };
    const npm = { registryType: 'npm' as const, identifier: 'x', version: '1.0.0' };
    assert.equal(processProvider.supports({ transport: 'streamable-http', package: npm }, target), true);
    assert.equal(processProvider.supports({ transport: 'sse', command: { path: '/bin/x' } }, target), true);
    assert.equal(processProvider.supports({ transport: 'stdio', package: npm }, target), false);
    assert.equal(
      processProvider.supports(
        { transport: 'streamable-http', package: { ...npm, registryType: 'pypi' } },
        target,
      ),
      false,
    );
    assert.equal(
      processProvider.supports({ transport: 'streamable-http', remote: { url: 'http://x' } }, target),
      false,
    );
  });

  test('render is the running shape; endpoint follows listenHost, path and transport', async () => {
    const desired = desiredServer('s', {
      transport: 'sse',
      package: { registryType: 'npm', identifier: 'x', version: '1.2.3' },
      port: 45001,
    });
    const ctx = processContext({ home: '/nonexistent', settings: { listenHost: '0.0.0.0' } });
    assert.deepEqual(processProvider.render(desired, ctx.target, ctx.environment), {
      running: true,
      version: '1.2.3',
      port: 45001,
      listenHost: '0.0.0.0',
    });
    assert.deepEqual(
      { ...(await processProvider.endpoint(ctx, desired)), exited: undefined, notOurs: undefined },
      {
        exited: undefined,
        notOurs: undefined,
        kind: 'http',
        url: 'http://127.0.0.1:45001/sse',
        transport: 'sse',
      },
    );
  });

  test('systemd unit quotes every ExecStart word and stops with SIGINT', () => {
    assert.equal(systemdQuote('a b"c\\%$'), '"a b\\"c\\\\%%$$"');
    const unit = renderUnit(
      {
        node: '/usr/bin/node',
        launcher: '/h/.mcp-gitops/lib/launcher.cjs',
        runArgs: ['--env-file', '/h/s/env', '--', '/h/bin with space.js'],
        paths: {
          dir: '/h/s',
          env: '/h/s/env',
          pid: '/h/s/pid',
          log: '/h/s/log',
          spec: '/h/s/spec.json',
          state: '/h/s/state.json',
          launcherLog: '/h/s/launcher.log',
          history: '/h/s/history.json',
        },
        unit: 'mcp-gitops-dev-s',
        env: { HOME: '/h' },
      },
      'user',
    );
    assert.match(
      unit,
      /^ExecStart="\/usr\/bin\/node" ".*launcher.cjs" "run" "--pidfile" "\/h\/s\/pid" .* "\/h\/bin with space.js"$/m,
    );
    assert.match(unit, /^KillSignal=SIGINT$/m);
    assert.match(unit, /^KillMode=mixed$/m, 'SIGINT to the launcher only: it stops the server');
    assert.match(unit, /^Restart=on-failure$/m);
    assert.match(unit, /^RestartSec=500ms\nRestartSteps=6\nRestartMaxDelaySec=30s$/m);
    assert.match(unit, /^StartLimitIntervalSec=0$/m);
    assert.match(
      unit,
      /^StandardOutput=append:\/h\/s\/launcher.log$/m,
      "the server log is the launcher's to rotate",
    );
    assert.match(unit, /^WantedBy=default.target$/m);
  });

  test("npm's reason for a failed install, without its noise", () => {
    const stderr = [
      'npm error code ETARGET',
      'npm error notarget No matching version found for x@9.9.9.',
      'npm error notarget In most cases you or one of your dependencies are requesting a package version that does not exist.',
      'npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log',
    ].join('\n');
    assert.equal(
      npmReason(stderr),
      'No matching version found for x@9.9.9. In most cases you or one of your dependencies are requesting a package version that does not exist.',
    );
    assert.equal(
      npmReason('npm error code E404\nnpm error 404 Not Found - GET https://r/x - Not found\n'),
      '404 Not Found - GET https://r/x - Not found',
    );
  });

  test('apply refuses a version range before running npm, as a failed change with a hint', async (t) => {
    const home = await tempDir(t);
    const desired = desiredServer('ranged', {
      transport: 'streamable-http',
      package: {
        registryType: 'npm',
        identifier: '@modelcontextprotocol/server-everything',
        version: '^2026.1.0',
      },
      port: 45002,
    });
    const ctx = processContext({ home, settings: { baseDir: `${home}/mcp` }, servers: [desired] });
    const result = await processProvider.apply(ctx, change('create', 'ranged', desired));
    assert.equal(result.outcome, 'failed');
    assert.match(result.message ?? '', /version "\^2026.1.0" is not an exact version \(pin an exact version/);
  });
});
