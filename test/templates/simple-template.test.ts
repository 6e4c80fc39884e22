import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTemplate, RUNTIME_OPTIONS } from '../../src/templates/create-engine.js';
import { parseSimpleTemplate, renderSimpleTemplate } from '../../src/templates/simple-template.js';
import { toTemplateData } from '../../src/templates/template-context.js';

const data = toTemplateData({
  vars: { a: 'x', empty: '', zero: '0' },
  environment: { name: 'dev' },
  target: { name: 't', host: 'local', clients: ['cursor', 'vscode'], port: 0, flag: false, nothing: null },
  server: { name: 's', port: 3001 },
});

test('the compile-free path renders exactly what the Handlebars engine renders', () => {
  const templates = [
    '{{vars.a}}',
    'pre {{ vars.a }} mid {{{vars.empty}}}{{vars.zero}} post } {',
    '{{target.clients}}|{{target.port}}|{{target.flag}}|{{target.nothing}}|{{server.port}}',
    'http://{{target.host}}:{{server.port}}/{{environment.name}}-{{server.name}}',
  ];
  for (const template of templates) {
    const pieces = parseSimpleTemplate(template);
    assert.ok(pieces, template);
    assert.equal(
      renderSimpleTemplate(pieces, data),
      compileTemplate(template)(data, RUNTIME_OPTIONS),
      template,
    );
  }
});

test('anything beyond text and plain paths is left to Handlebars', () => {
  for (const template of [
    '{{#if vars.a}}x{{/if}}',
    '{{json vars.a}}',
    '{{~vars.a~}}',
    '\\{{vars.a}}',
    '{{vars.a}',
    '{{{vars.a}}',
    '{{else}}',
    '{{vars/a}}',
    '{{[vars].a}}',
  ]) {
    assert.equal(parseSimpleTemplate(template), undefined, template);
  }
});

test('a missing path is an error, like strict mode', () => {
  assert.throws(
    () => renderSimpleTemplate(parseSimpleTemplate('{{vars.nope}}')!, data),
    /"nope" is not defined/,
  );
  assert.throws(
    () => renderSimpleTemplate(parseSimpleTemplate('{{vars.a.length}}')!, data),
    /"length" is not defined/,
  );
  assert.throws(() => compileTemplate('{{vars.nope}}')(data, RUNTIME_OPTIONS), /"nope" not defined/);
});
