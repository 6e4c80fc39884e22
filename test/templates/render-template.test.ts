import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { McpGitopsError } from '../../src/core/errors.js';
import { analyzeTemplate, isTemplate, renderTemplate, templateVariables } from '../../src/templates/index.js';
import type { TemplateContext } from '../../src/templates/template-context.js';

const context: TemplateContext = {
  vars: { team: 'platform', dataDir: '/srv/data', note: 'a\nevil: true' },
  environment: { name: 'dev' },
  target: { name: 'laptop', host: 'local', projectDir: '/src/app' },
  server: { name: 'memory', port: 3001, path: '/mcp' },
};

describe('renderTemplate', () => {
  test('renders vars, environment, target settings and server fields without escaping', () => {
    assert.equal(
      renderTemplate(
        '{{vars.dataDir}}/{{environment.name}}/{{target.projectDir}}/{{server.name}}:{{server.port}}{{server.path}}&x',
        context,
      ),
      '/srv/data/dev//src/app/memory:3001/mcp&x',
    );
  });

  test('a string without {{ is returned as is', () => {
    assert.equal(isTemplate('plain'), false);
    assert.equal(renderTemplate('plain <b>', context), 'plain <b>');
  });

  test('json helper keeps a newline in a value from injecting a YAML key', () => {
    const unsafe = parse(renderTemplate('key: {{vars.note}}', context));
    assert.equal(unsafe.evil, true, 'without json the newline injects a key (why the helper exists)');
    const safe = parse(renderTemplate('key: {{json vars.note}}', context));
    assert.deepEqual(safe, { key: 'a\nevil: true' });
    assert.deepEqual(JSON.parse(renderTemplate('{"k": {{json vars.note}} }', context)), {
      k: 'a\nevil: true',
    });
  });

  test('a missing variable is an error, also as an #if condition', () => {
    assert.throws(
      () => renderTemplate('{{vars.missing}}', context),
      (err: unknown) => {
        assert.ok(err instanceof McpGitopsError);
        assert.match(err.message, /"missing" is not defined/);
        return true;
      },
    );
    assert.equal(renderTemplate('{{#if vars.team}}yes{{else}}no{{/if}}', context), 'yes');
    assert.deepEqual(analyzeTemplate('{{#if vars.missing}}x{{/if}}'), {
      ok: true,
      variables: ['vars.missing'],
      problems: [],
    });
  });

  test('prototype access, lookup, partials and parent scopes are refused', () => {
    for (const hostile of [
      '{{constructor}}',
      '{{vars.constructor}}',
      '{{vars.__proto__}}',
      '{{lookup vars "constructor"}}',
      '{{> evil}}',
      '{{#each vars}}{{this}}{{/each}}',
      '{{#with vars}}{{team}}{{/with}}',
      '{{@root.vars.team}}',
      '{{../vars.team}}',
      '{{this.vars.team}}',
      '{{json vars.team pretty=true}}',
      '{{{{raw}}}}x{{{{/raw}}}}',
    ]) {
      assert.throws(() => renderTemplate(hostile, context), McpGitopsError, hostile);
    }
  });

  test('a syntax error is reported with Handlebars message on one line', () => {
    const analysis = analyzeTemplate('{{vars.team');
    assert.equal(analysis.ok, false);
    assert.ok(
      !analysis.ok && !analysis.error.includes('\n') && /Expecting .*template line 1/.test(analysis.error),
    );
  });
});

describe('templateVariables', () => {
  test('finds every path, inside blocks, helpers and sub-expressions, in order of first use', () => {
    assert.deepEqual(
      templateVariables(
        '{{#if vars.a}}{{json target.host}}{{else}}{{#unless (json server.port)}}{{{vars.b}}}{{/unless}}{{/if}}{{vars.a}}',
      ),
      ['vars.a', 'target.host', 'server.port', 'vars.b'],
    );
  });

  test('throws on a template that does not parse', () => {
    assert.throws(() => templateVariables('{{#if x}}'), SyntaxError);
  });
});
