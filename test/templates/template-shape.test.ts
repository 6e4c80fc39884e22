/** Templates whose shape would make Handlebars' parser slow are refused by a linear scan first. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeTemplate } from '../../src/templates/analyze-template.js';
import { MAX_MUSTACHES, MAX_NESTING, templateShapeProblem } from '../../src/templates/template-shape.js';

test('nesting and mustache counts at the limits pass; past them the template is refused', () => {
  const nested = (n: number) => `${'{{#if vars.a}}'.repeat(n)}x${'{{/if}}'.repeat(n)}`;
  assert.equal(templateShapeProblem(nested(MAX_NESTING)), undefined);
  assert.match(templateShapeProblem(nested(MAX_NESTING + 1)) ?? '', /blocks nested deeper than 16/);
  // Sequential blocks are not nesting.
  assert.equal(templateShapeProblem('{{#if vars.a}}x{{/if}}'.repeat(400)), undefined);
  assert.equal(templateShapeProblem('{{vars.a}}'.repeat(MAX_MUSTACHES)), undefined);
  assert.match(
    templateShapeProblem('{{vars.a}}'.repeat(MAX_MUSTACHES + 1)) ?? '',
    /more than 1000 mustaches/,
  );
  const parens = (n: number) => `{{json ${'(json '.repeat(n)}vars.a${')'.repeat(n)}}}`;
  assert.equal(templateShapeProblem(parens(MAX_NESTING)), undefined);
  assert.match(templateShapeProblem(parens(MAX_NESTING + 1)) ?? '', /sub-expressions nested deeper/);
  // Whitespace control and triple stashes are blocks and mustaches too.
  assert.match(templateShapeProblem(`${'{{~#if vars.a}}'.repeat(17)}`) ?? '', /nested deeper/);
});

test('a refused shape is a template problem, never handed to the parser', () => {
  const analysis = analyzeTemplate(`${'{{#if vars.a}}'.repeat(50_000)}${'{{/if}}'.repeat(50_000)}`);
  assert.deepEqual(analysis.ok && analysis.problems.length, 1);
});
