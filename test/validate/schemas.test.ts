/** The shipped schemas: precompiled validators in step, shared definitions in step, documented. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { KINDS } from '../../src/core/resources.js';
import { validatorFor } from '../../src/validate/compile-schemas.js';
import { GENERATED_FILE, generateValidatorsSource } from '../../src/validate/generate-validators.js';
import { type JsonSchema, schemaFor } from '../../src/validate/schema-sources.js';

function walk(node: unknown, path: string, visit: (node: JsonSchema, path: string) => void) {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) walk(n, `${path}/${i}`, visit);
    return;
  }
  visit(node as JsonSchema, path);
  for (const [k, v] of Object.entries(node))
    if (k !== 'assert' && k !== 'const' && k !== 'enum') walk(v, `${path}/${k}`, visit);
}

describe('schemas', () => {
  test('the precompiled validators match schemas/ (run src/validate/generate-validators.ts)', () => {
    assert.equal(readFileSync(GENERATED_FILE, 'utf8'), generateValidatorsSource());
  });

  test('Environment overrides use the same server field definitions as Server', () => {
    const server = schemaFor('Server').$defs as Record<string, unknown>;
    const environment = schemaFor('Environment').$defs as Record<string, unknown>;
    for (const def of [
      'fields',
      'package',
      'command',
      'remote',
      'secret',
      'secretRef',
      'envName',
      'version',
      'dnsLabel',
      'metadata',
    ]) {
      assert.deepEqual(environment[def], server[def], `$defs/${def}`);
    }
    for (const kind of KINDS)
      assert.deepEqual((schemaFor(kind).$defs as JsonSchema).metadata, server.metadata, kind);
  });

  test('every schema and every property has a title or a description', () => {
    for (const kind of KINDS) {
      const schema = schemaFor(kind);
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
      assert.equal(schema.$id, `urn:mcp-gitops:schema:v1:${kind.toLowerCase()}`);
      assert.ok(schema.title && schema.description, kind);
      walk(schema, '#', (node, path) => {
        const props = node.properties as Record<string, JsonSchema> | undefined;
        if (!props || path.includes('/if') || path.includes('/then')) return;
        for (const [name, prop] of Object.entries(props)) {
          const documented =
            prop.description !== undefined || prop.title !== undefined || prop.$ref !== undefined;
          assert.ok(documented, `${kind} ${path}/properties/${name} has no description`);
        }
      });
    }
  });

  test('a version must be a string: unquoted 1.10 (the number 1.1) is refused', () => {
    const validate = validatorFor('Server');
    const server = (version: unknown) => ({
      apiVersion: 'mcp-gitops/v1',
      kind: 'Server',
      metadata: { name: 'x' },
      spec: { transport: 'stdio', package: { registryType: 'npm', identifier: 'x', version } },
    });
    assert.equal(validate(server('1.10')), true);
    assert.equal(validate(server(1.1)), false);
    assert.equal(validate.errors?.[0]?.instancePath, '/spec/package/version');
  });
});
