/**
 * Long YAML texts are parsed by a second copy of js-yaml (src/config/js-yaml.ts), so that V8's
 * pretenuring of one file's long-lived events does not send every short file's to old space.
 * The copy must be invisible: the same documents, and a syntax error in a long file reported with
 * the same rule, line and column as in a short one.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventPositions } from '../../src/config/event-positions.js';
import { jsYaml, jsYamlFor, LONG_YAML_CHARS } from '../../src/config/js-yaml.js';
import { parseYaml } from '../../src/config/parse-yaml.js';

function environment(servers: number): string {
  const entries = Array.from(
    { length: servers },
    (_, i) => `    - name: server-${String(i).padStart(5, '0')}\n`,
  );
  return `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  servers:\n${entries.join('')}`;
}

describe('long YAML texts', () => {
  const long = environment(Math.ceil(LONG_YAML_CHARS / 20));

  test('go to a copy of js-yaml of their own, short ones to the shared one', () => {
    assert.ok(long.length >= LONG_YAML_CHARS);
    assert.notEqual(jsYamlFor(long), jsYaml());
    assert.equal(jsYamlFor(long), jsYamlFor(long));
    assert.equal(jsYamlFor(environment(3)), jsYaml());
  });

  test('parse to the same documents as the shared copy', () => {
    const parsed = parseYaml('environments/dev.yaml', long);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.documents, jsYaml().loadAll(long));
    assert.equal(
      eventPositions(long)?.offset(0, ['spec', 'servers', 3, 'name'], 'value'),
      long.indexOf('server-00003'),
    );
  });

  test('a syntax error in a long file is reported as in a short one', () => {
    const broken = (text: string) => `${text}  bad: [unclosed\n`;
    const short = parseYaml('short.yaml', broken(environment(2)));
    const longer = parseYaml('long.yaml', broken(long));
    assert.ok(!short.ok && !longer.ok);
    assert.equal(longer.diagnostic.rule, 'yaml-syntax');
    assert.equal(longer.diagnostic.rule, short.diagnostic.rule);
    assert.equal(longer.diagnostic.message, short.diagnostic.message);
    assert.equal(longer.diagnostic.line, long.split('\n').length + 1);
    assert.ok(longer.diagnostic.message.startsWith('invalid YAML: '));
    const dup = parseYaml('dup.yaml', `${long}kind: Again\n`);
    assert.ok(!dup.ok);
    assert.equal(dup.diagnostic.rule, 'duplicate-key');
    assert.equal(dup.diagnostic.message, 'duplicate key "kind": each key may appear once in a mapping');
  });
});
