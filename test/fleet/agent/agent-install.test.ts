/**
 * `agent install` on a machine without a user systemd (PID 1 is not systemd here): the unit is
 * written under the user's home, nothing is started, the user is told how to run it, exit 0;
 * `uninstall` removes it. `--print` writes nothing and shows both renderings.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliRunner } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/mcp-servers.js';

const BIN = path.resolve(import.meta.dirname, '..', '..', '..', 'bin', 'mcp-gitops.js');

test('install writes the systemd user unit and says how to start it; uninstall removes it', async (t) => {
  const home = await tempDir(t, 'agent-install-');
  const cli = cliRunner({ HOME: home, MCP_GITOPS_HOME: home });
  const unit = path.join(home, '.config', 'systemd', 'user', 'mcp-gitops-agent.service');

  const printed = await cli.run(['agent', 'install', '--print', '--interval', '10m']);
  assert.equal(printed.code, 0, printed.stderr);
  assert.match(printed.stdout, /^# .*\/\.config\/systemd\/user\/mcp-gitops-agent\.service$/m);
  assert.match(printed.stdout, /^# .*\/Library\/LaunchAgents\/dev\.mcp-gitops\.agent\.plist$/m);
  assert.match(printed.stdout, /<string>10m<\/string>/);
  await assert.rejects(fs.stat(unit), { code: 'ENOENT' });

  const installed = await cli.run(['agent', 'install', '--interval', '10m']);
  assert.equal(installed.code, 0, installed.stderr);
  assert.match(installed.stdout, new RegExp(`^wrote ${unit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  assert.match(
    installed.stdout,
    /no user systemd answers on this machine \(PID 1 is not systemd\), so nothing was started/,
  );
  assert.match(
    installed.stdout,
    new RegExp(`start it by hand .*: ${process.execPath} ${BIN} agent run --interval 10m$`, 'm'),
  );
  const text = await fs.readFile(unit, 'utf8');
  assert.match(
    text,
    new RegExp(`^ExecStart="${process.execPath}" "${BIN}" "agent" "run" "--interval" "10m"$`, 'm'),
  );

  const removed = await cli.run(['agent', 'uninstall']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /^removed .*mcp-gitops-agent\.service$/m);
  await assert.rejects(fs.stat(unit), { code: 'ENOENT' });
});
