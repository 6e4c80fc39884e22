/**
 * The bundled quickstart and the environment presets validate with the real `mcp-gitops validate`,
 * and the tools the quickstart's health checks expect are the ones the real servers list.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const quickstart = path.join(root, 'examples', 'quickstart');
const bin = path.join(root, 'bin', 'mcp-gitops.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-examples-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function validate(repo: string) {
  return spawnSync(process.execPath, [bin, 'validate', '--repo', repo], {
    encoding: 'utf8',
    env: { ...process.env, MCP_GITOPS_HOME: tmp },
  });
}

describe('examples/quickstart', () => {
  test('mcp-gitops validate exits 0 with no diagnostics', () => {
    const r = validate(quickstart);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /error|warning/);
  });

  test('every YAML file carries a schema modeline that resolves to a product schema', () => {
    const files = fs
      .readdirSync(quickstart, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 6);
    for (const file of files) {
      const first = fs.readFileSync(path.join(quickstart, file), 'utf8').split('\n')[0];
      const ref = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
      assert.ok(ref, `${file} has no modeline`);
      const schema = path.resolve(path.dirname(path.join(quickstart, file)), ref);
      assert.ok(fs.existsSync(schema), `${file} points at missing ${ref}`);
      const kind = parse(fs.readFileSync(path.join(quickstart, file), 'utf8')).kind as string;
      assert.equal(path.basename(schema), `${kind.toLowerCase()}.schema.json`, file);
    }
  });
});

describe('environments/ presets', () => {
  const presets = fs.readdirSync(path.join(root, 'environments')).filter((f) => f.endsWith('.yaml'));

  test('each preset validates in a repo with the example servers, and all of them together', () => {
    for (const preset of [...presets.map((p) => [p]), presets]) {
      const repo = path.join(tmp, `preset-${preset.length === 1 ? preset[0] : 'all'}`);
      fs.mkdirSync(path.join(repo, 'environments'), { recursive: true });
      fs.cpSync(path.join(quickstart, 'servers'), path.join(repo, 'servers'), { recursive: true });
      fs.copyFileSync(path.join(quickstart, 'mcp-gitops.yaml'), path.join(repo, 'mcp-gitops.yaml'));
      for (const p of preset)
        fs.copyFileSync(path.join(root, 'environments', p), path.join(repo, 'environments', p));
      const r = validate(repo);
      assert.equal(r.status, 0, `${preset.join(' + ')}:\n${r.stdout}${r.stderr}`);
    }
  });

  test('the README describes every preset', () => {
    const readme = fs.readFileSync(path.join(root, 'environments', 'README.md'), 'utf8');
    for (const p of presets) assert.ok(readme.includes(`\`${p}\``), p);
  });
});

describe('health.expectTools match what the real servers list', () => {
  const servers: Record<string, { args: string[]; env?: Record<string, string> }> = {
    everything: { args: ['node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'stdio'] },
    memory: {
      args: ['node_modules/@modelcontextprotocol/server-memory/dist/index.js'],
      env: { MEMORY_FILE_PATH: path.join(tmp, 'memory.jsonl') },
    },
  };
  for (const [name, run] of Object.entries(servers)) {
    test(name, async () => {
      const spec = parse(fs.readFileSync(path.join(quickstart, 'servers', `${name}.yaml`), 'utf8')).spec;
      const client = new Client({ name: 'quickstart-test', version: '1.0.0' });
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: run.args,
        cwd: root,
        env: { ...getDefaultEnvironment(), ...run.env },
        stderr: 'ignore',
      });
      await client.connect(transport);
      try {
        const { tools } = await client.listTools();
        const names = tools.map((t) => t.name);
        for (const expected of spec.health.expectTools)
          assert.ok(names.includes(expected), `${expected} in ${names}`);
      } finally {
        await client.close();
      }
    });
  }
});
