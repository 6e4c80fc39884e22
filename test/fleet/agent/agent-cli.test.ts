/**
 * The laptop agent through the real CLI against the real hub: enrolment (identity 0600 in a 0700
 * folder), a pass that writes the bundle's server-memory into a sandboxed ~/.claude.json beside the
 * user's own entry and verifies it over MCP, the report the hub records, `agent status`, and a
 * canary secret that the laptop resolves but that never reaches a report, a log or a state file.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliRunner } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/mcp-servers.js';
import { body, CANARY, CANARY_VAR, laptopTarget, memoryServer, startTestHub } from './agent-hub.js';

const USER_CLAUDE = { mcpServers: { mine: { command: 'my-server', args: ['--flag'] } }, theme: 'dark' };

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out;
}

test('enrol, one pass writes and verifies server-memory in ~/.claude.json, the hub records in-sync; the canary never leaks', async (t) => {
  const home = await tempDir(t, 'agent-home-');
  await fs.writeFile(path.join(home, '.claude.json'), `${JSON.stringify(USER_CLAUDE, null, 2)}\n`);
  const memoryFile = path.join(home, 'memory.jsonl');
  const server = memoryServer('memory', memoryFile);
  const hub = await startTestHub(body([laptopTarget([server])]));
  t.after(() => hub.close());
  const stateDir = path.join(home, 'agent-state');
  const cli = cliRunner({
    HOME: home,
    MCP_GITOPS_HOME: home,
    [CANARY_VAR]: CANARY,
    MCP_GITOPS_LOG_LEVEL: 'debug',
  });

  const token = hub.token({ team: 'platform' });
  const enrolled = await cli.run(['agent', 'enroll', hub.url, token, '--state-dir', stateDir]);
  assert.equal(enrolled.code, 0, enrolled.stderr);
  assert.match(enrolled.stdout, /Enrolled this machine as \S+ in environment dev\./);
  assert.ok(!enrolled.stdout.includes(token) && !enrolled.stderr.includes(token), 'the token is printed');
  const identityFile = path.join(stateDir, 'identity.json');
  assert.equal((await fs.stat(identityFile)).mode & 0o777, 0o600);
  assert.equal((await fs.stat(stateDir)).mode & 0o777, 0o700);
  const identity = JSON.parse(await fs.readFile(identityFile, 'utf8')) as Record<string, unknown>;
  assert.equal(identity.environment, 'dev');
  assert.deepEqual(identity.labels, { team: 'platform', os: process.platform, arch: process.arch });
  assert.match(String(identity.privateKeyPem), /BEGIN PRIVATE KEY/);
  const machineId = String(identity.machineId);

  // The token was used: a second enrolment with it is refused, and says so without echoing it.
  const again = await cli.run(['agent', 'enroll', hub.url, token, '--state-dir', path.join(home, 'other')]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /enrolment refused: hub answered 401/);
  assert.ok(!again.stderr.includes(token));

  // Tokens are base64url: one may begin with '-'. It is sent as the token, never echoed as an option.
  const dashed = '-Zm9vYmFyLWRhc2hlZC10b2tlbi1ub3QtcmVhbA';
  const dash = await cli.run(['agent', 'enroll', hub.url, dashed, '--state-dir', path.join(home, 'dash')]);
  assert.equal(dash.code, 1);
  assert.match(dash.stderr, /enrolment refused: hub answered 401/);
  assert.ok(!dash.stderr.includes(dashed) && !dash.stdout.includes(dashed));

  const pass = await cli.run(['agent', 'run', '--once', '--state-dir', stateDir]);
  assert.equal(pass.code, 0, pass.stderr);
  assert.match(
    pass.stdout,
    /^pass: in-sync \(laptops=in-sync\); bundle aaaaaaaaaaaa from the hub; report delivered$/m,
  );

  // The bundle's server is in the user's file, the user's own entry and keys untouched, the secret a reference.
  const claude = JSON.parse(await fs.readFile(path.join(home, '.claude.json'), 'utf8')) as {
    mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }>;
    theme: string;
  };
  assert.deepEqual(claude.mcpServers.mine, USER_CLAUDE.mcpServers.mine);
  assert.equal(claude.theme, 'dark');
  assert.equal(claude.mcpServers.memory?.command, process.execPath);
  assert.equal(claude.mcpServers.memory?.env.API_TOKEN, `\${${CANARY_VAR}}`);

  // What the hub recorded: in sync at the bundle's digest, verified over MCP (9 tools).
  const record = hub.machine(machineId);
  const reported = record?.targets.laptops;
  assert.equal(reported?.state, 'in-sync');
  assert.equal(reported?.digest, laptopTarget([server]).digest);
  assert.deepEqual(
    reported?.servers.map((s) => ({ name: s.name, outcome: s.outcome, health: s.health, tools: s.tools })),
    [{ name: 'memory', outcome: 'applied', health: 'healthy', tools: 9 }],
  );
  assert.equal(record?.facts.os, process.platform);

  // A second pass: 304 from the hub, nothing applied, the server not spoken to again.
  const second = await cli.run(['agent', 'run', '--once', '--state-dir', stateDir]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /bundle aaaaaaaaaaaa unchanged at the hub; report delivered/);
  assert.deepEqual(
    hub.machine(machineId)?.targets.laptops?.servers.map((s) => [s.outcome, s.health, s.tools]),
    [['unchanged', 'healthy', 9]],
  );

  const status = await cli.run(['agent', 'status', '--state-dir', stateDir, '--format', 'json']);
  assert.equal(status.code, 0, status.stderr);
  const s = JSON.parse(status.stdout) as {
    machineId: string;
    hub: string;
    bundle: { revision: string; targets: { name: string; digest: string; servers: string[] }[] };
    lastPass: { outcome: string; source: string; reportDelivered: boolean };
  };
  assert.equal(s.machineId, machineId);
  assert.equal(s.hub, hub.url);
  assert.deepEqual(s.bundle.targets, [
    { name: 'laptops', digest: laptopTarget([server]).digest, servers: ['memory'] },
  ]);
  assert.deepEqual(
    [s.lastPass.outcome, s.lastPass.source, s.lastPass.reportDelivered],
    ['in-sync', 'not-modified', true],
  );
  const text = await cli.run(['agent', 'status', '--state-dir', stateDir]);
  assert.match(
    text.stdout,
    /^last pass {3}\S+: in-sync \(laptops=in-sync\), bundle not-modified, report delivered$/m,
  );
  assert.ok(!text.stdout.includes('PRIVATE KEY'));

  // The canary: resolved on the laptop for verification, never in output, state, the hub's records or logs.
  const leaks: string[] = [];
  for (const chunk of cli.transcript) if (chunk.includes(CANARY)) leaks.push('CLI output');
  for (const file of await allFiles(home)) {
    if (file === memoryFile) continue;
    if ((await fs.readFile(file, 'utf8')).includes(CANARY)) leaks.push(file);
  }
  if (JSON.stringify(hub.reports).includes(CANARY)) leaks.push('hub reports');
  if (hub.logs.join('').includes(CANARY)) leaks.push('hub logs');
  assert.deepEqual(leaks, []);
  assert.ok(cli.transcript.join('').includes('"msg"'), 'debug logs were written (so the scan covered them)');

  // Enrolling an enrolled machine again needs --force; the old machine's bundle and last pass go.
  const fresh = hub.token();
  const dup = await cli.run(['agent', 'enroll', hub.url, fresh, '--state-dir', stateDir]);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, new RegExp(`already enrolled as ${machineId}`));
  assert.match(dup.stderr, new RegExp(`hint: pass --force .* mcp-gitops fleet revoke ${machineId}`));
  const forced = await cli.run(['agent', 'enroll', hub.url, fresh, '--state-dir', stateDir, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  const renewed = JSON.parse(await fs.readFile(identityFile, 'utf8')) as { machineId: string };
  assert.notEqual(renewed.machineId, machineId);
  for (const gone of ['bundle.json', 'last-pass.json'])
    await assert.rejects(fs.stat(path.join(stateDir, gone)), { code: 'ENOENT' });
});
