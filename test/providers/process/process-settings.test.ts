import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { processProvider } from '../../../src/providers/process/index.js';
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
      { ...(await processProvider.endpoint(ctx, desired)), exited: undefined },
      {
        exited: undefined,
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
        paths: { dir: '/h/s', env: '/h/s/env', pid: '/h/s/pid', log: '/h/s/log', spec: '/h/s/spec.json' },
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
    assert.match(unit, /^StandardOutput=append:\/h\/s\/log$/m);
    assert.match(unit, /^WantedBy=default.target$/m);
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
