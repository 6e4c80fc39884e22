import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { importServer } from '../../src/import/import-server.js';
import { parseServerJson } from '../../src/import/read-server-json.js';
import { toServer } from '../../src/import/to-server.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const fixture = (name: string) => path.join(here, 'fixtures', name);
const bin = path.resolve(here, '../../bin/mcp-gitops.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-import-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: path.resolve(here, '../..'), encoding: 'utf8' });
}

describe('import: server.json → Server YAML (golden files)', () => {
  for (const name of ['everything', 'github', 'remote']) {
    test(name, () => {
      const { yaml } = importServer(fixture(`${name}.server.json`), {});
      assert.equal(yaml, fs.readFileSync(fixture(`${name}.expected.yaml`), 'utf8'));
    });
  }
});

describe('import: conversion rules', () => {
  const github = JSON.parse(fs.readFileSync(fixture('github.server.json'), 'utf8'));

  test('prefers the npm package; secrets become env: references, never values', () => {
    const { resource, source } = toServer(github);
    assert.equal(source, 'packages[1]');
    assert.deepEqual(resource.spec.secrets, [{ name: 'GITHUB_TOKEN', ref: 'env:GITHUB_TOKEN' }]);
    assert.deepEqual(resource.spec.env, { GITHUB_HOST: 'github.com' });
  });

  test('--package picks another package; an unsupported one is refused', () => {
    const { resource } = toServer(github, { packageIndex: 0, name: 'gh' });
    assert.equal(resource.spec.package?.registryType, 'oci');
    assert.equal(resource.metadata.name, 'gh');
    assert.throws(() => toServer(github, { packageIndex: 5 }), /--package 5: server.json has 2 package\(s\)/);
    const nuget = { name: 'a/b', packages: [{ ...github.packages[1], registryType: 'nuget' }] };
    assert.throws(() => toServer(nuget), /a\/b has no npm, pypi, oci package and no remote/);
    assert.throws(() => toServer(nuget, { packageIndex: 0 }), /packages\[0\] is a nuget package/);
  });

  test('a port wired through an env var becomes {{server.port}}; --port overrides the default', () => {
    const everything = JSON.parse(fs.readFileSync(fixture('everything.server.json'), 'utf8'));
    const { resource } = toServer(everything, { port: 38111 });
    assert.equal(resource.spec.port, 38111);
    assert.equal(resource.spec.path, '/mcp');
    assert.deepEqual(resource.spec.env, { PORT: '{{server.port}}' });
    const noPort = { ...everything, packages: [{ ...everything.packages[0], transport: { type: 'sse' } }] };
    assert.throws(() => toServer(noPort), /cannot tell which port the sse package listens on/);
  });

  test('names must be DNS labels', () => {
    assert.throws(
      () => toServer(github, { name: 'Not_A_Label' }),
      /"Not_A_Label" is not a valid server name/,
    );
  });
});

describe('import: bad input', () => {
  test('schema problems name the file, line, column and field path', () => {
    assert.throws(
      () =>
        parseServerJson(fs.readFileSync(fixture('bad-fields.server.json'), 'utf8'), 'bad-fields.server.json'),
      (err: Error & { details?: string[] }) => {
        assert.deepEqual(err.details, [
          "bad-fields.server.json:6:5: error: packages[0]: must have required property 'identifier' [import]",
          'bad-fields.server.json:8:18: error: packages[0].version: must be string [import]',
          'bad-fields.server.json:9:30: error: packages[0].transport.type: must be equal to one of the allowed values (stdio, streamable-http, sse) [import]',
        ]);
        return true;
      },
    );
  });

  test('the CLI exits 1 with the diagnostics and no stack trace, and writes nothing', () => {
    const out = path.join(tmp, 'never.yaml');
    const r = cli('import', 'test/import/fixtures/bad-json.server.json', '--out', out);
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr,
      'test/import/fixtures/bad-json.server.json:4:30: error: invalid JSON: Expected double-quoted property name in JSON at position 85 [import]\n' +
        'mcp-gitops: test/import/fixtures/bad-json.server.json is not a usable MCP registry server.json [ERR_USAGE]\n' +
        'hint: see https://github.com/modelcontextprotocol/registry/tree/main/docs/reference/server-json\n',
    );
    assert.ok(!fs.existsSync(out));
    const missing = cli('import', 'no/such/server.json');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read no\/such\/server.json: ENOENT/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /);
  });

  test('--out never overwrites without --force', () => {
    const out = path.join(tmp, 'servers', 'weather.yaml');
    const first = cli('import', fixture('remote.server.json'), '--out', out);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(parse(fs.readFileSync(out, 'utf8')).metadata.name, 'weather');
    fs.writeFileSync(out, 'mine\n');
    const again = cli('import', fixture('remote.server.json'), '--out', out);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already exists/);
    assert.equal(fs.readFileSync(out, 'utf8'), 'mine\n');
    assert.equal(cli('import', fixture('remote.server.json'), '--out', out, '--force').status, 0);
  });
});
