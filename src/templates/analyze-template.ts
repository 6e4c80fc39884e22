/**
 * Static analysis of a template: parse it with Handlebars and walk the AST, collecting every
 * variable path (in mustaches, helper arguments, sub-expressions and `#if`/`#unless` conditions —
 * strict mode does not catch a missing variable used as a block condition) and every construct the
 * product refuses (partials, decorators, unknown helpers, `../`, `@data`, `this`, prototype names).
 */
import { loadHandlebars } from './create-engine.js';
import { parseSimpleTemplate, type SimplePiece } from './simple-template.js';
import { FORBIDDEN_SEGMENTS } from './template-context.js';
import { templateShapeProblem } from './template-shape.js';

export type TemplateAnalysis =
  | {
      ok: true;
      variables: string[];
      problems: string[];
      /** Set when the template is only text and plain path mustaches (rendered without compiling). */
      simple?: SimplePiece[];
    }
  | { ok: false; error: string };

/** Helpers a template may call, with how many positional arguments each takes. */
export const TEMPLATE_HELPERS: Readonly<Record<string, { block: boolean; arity: number }>> = {
  json: { block: false, arity: 1 },
  if: { block: true, arity: 1 },
  unless: { block: true, arity: 1 },
};

const cache = new Map<string, TemplateAnalysis>();
const CACHE_LIMIT = 10_000;

export function isTemplate(value: string): boolean {
  return value.includes('{{');
}

/** One line from Handlebars' multi-line parse error ("Expecting 'ID', ..., got 'EOF'"). */
export function parseErrorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const lines = raw.split('\n').filter((l) => l.trim() !== '');
  const where = /^Parse error on line (\d+):$/.exec(lines[0] ?? '');
  const last = lines[lines.length - 1] ?? raw;
  if (where && lines.length > 1) return `${last} (template line ${where[1]})`;
  return lines.join(' ');
}

export function analyzeTemplate(template: string): TemplateAnalysis {
  const hit = cache.get(template);
  if (hit) return hit;
  let result: TemplateAnalysis;
  const simple = parseSimpleTemplate(template);
  if (simple) {
    const variables = new Set<string>();
    const problems = new Set<string>();
    for (const piece of simple) {
      if (typeof piece === 'string') continue;
      const problem = pathProblem(piece.join('.'), piece);
      if (problem) problems.add(problem);
      else variables.add(piece.join('.'));
    }
    result = { ok: true, variables: [...variables], problems: [...problems], simple };
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(template, result);
    return result;
  }
  const shape = templateShapeProblem(template);
  if (shape) {
    result = { ok: true, variables: [], problems: [shape] };
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(template, result);
    return result;
  }
  try {
    const ast = loadHandlebars().parse(template);
    const walker = new Walker();
    walker.program(ast);
    result = { ok: true, variables: [...walker.variables], problems: [...walker.problems] };
  } catch (err) {
    result = { ok: false, error: parseErrorMessage(err) };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(template, result);
  return result;
}

/** Every variable path a template reads, dotted (`vars.team`, `target.host`), in order of first use. */
export function templateVariables(template: string): string[] {
  const analysis = analyzeTemplate(template);
  if (!analysis.ok) throw new SyntaxError(analysis.error);
  return analysis.variables;
}

class Walker {
  readonly variables = new Set<string>();
  readonly problems = new Set<string>();

  program(node: hbs.AST.Program): void {
    if (node.blockParams && node.blockParams.length > 0)
      this.problems.add('block parameters are not allowed');
    for (const statement of node.body) this.statement(statement);
  }

  private statement(node: hbs.AST.Statement): void {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        this.call(node as hbs.AST.MustacheStatement, false);
        return;
      case 'BlockStatement': {
        const block = node as hbs.AST.BlockStatement;
        this.call(block, true);
        if (block.program) this.program(block.program);
        if (block.inverse) this.program(block.inverse);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        this.problems.add('partials ({{> name}}) are not allowed');
        return;
      default:
        this.problems.add(`${node.type} is not allowed`);
    }
  }

  /** A mustache, block or sub-expression: either a plain variable or a call of a known helper. */
  private call(
    node: { path: hbs.AST.Expression; params: hbs.AST.Expression[]; hash?: hbs.AST.Hash },
    block: boolean,
  ): void {
    if (node.path.type !== 'PathExpression') {
      this.problems.add('a literal cannot be used as a helper or variable name');
      return;
    }
    const path = node.path as hbs.AST.PathExpression;
    const helper = Object.hasOwn(TEMPLATE_HELPERS, path.original)
      ? TEMPLATE_HELPERS[path.original]
      : undefined;
    const isCall = block || node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (!isCall && !helper) {
      this.path(path);
      return;
    }
    if (!helper) {
      this.problems.add(
        `unknown helper "${path.original}" (allowed: ${Object.keys(TEMPLATE_HELPERS).join(', ')})`,
      );
      return;
    }
    if (helper.block !== block) {
      this.problems.add(
        block
          ? `"${path.original}" is not a block helper`
          : `"${path.original}" must be used as a block ({{#${path.original}}})`,
      );
    } else if (node.params.length !== helper.arity) {
      this.problems.add(`"${path.original}" takes exactly ${helper.arity} argument`);
    }
    if ((node.hash?.pairs.length ?? 0) > 0) this.problems.add('hash arguments (key=value) are not allowed');
    for (const param of node.params) this.expression(param);
  }

  private expression(node: hbs.AST.Expression): void {
    switch (node.type) {
      case 'PathExpression':
        this.path(node as hbs.AST.PathExpression);
        return;
      case 'SubExpression':
        this.call(node as hbs.AST.SubExpression, false);
        return;
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
      case 'UndefinedLiteral':
      case 'NullLiteral':
        return;
      default:
        this.problems.add(`${node.type} is not allowed`);
    }
  }

  private path(node: hbs.AST.PathExpression): void {
    const original = node.original;
    if (node.data) {
      this.problems.add(`"${original}": @data variables are not allowed`);
      return;
    }
    if (node.depth > 0 || original.startsWith('..')) {
      this.problems.add(`"${original}": parent scopes (../) are not allowed`);
      return;
    }
    const problem = pathProblem(original, node.parts);
    if (problem) this.problems.add(problem);
    else this.variables.add(node.parts.join('.'));
  }
}

/** Why a variable path is refused (`this`, prototype names), or undefined. */
function pathProblem(original: string, parts: readonly string[]): string | undefined {
  if (
    original === 'this' ||
    original.startsWith('this.') ||
    original.startsWith('this/') ||
    parts.length === 0 ||
    parts[0] === 'this'
  ) {
    return `"${original}": "this" is not allowed; name the variable from its root (vars, environment, target, server)`;
  }
  const forbidden = parts.find((part) => FORBIDDEN_SEGMENTS.has(part));
  if (forbidden) return `"${original}": access to "${forbidden}" is refused`;
  return undefined;
}
