/**
 * A change's branch name and pull request title, from the Repository's templates
 * (`updates.pullRequests.branch` / `title`, Handlebars in the product's one strict engine) with the
 * variables `update.name`, `update.group`, `update.server` and `update.version`. A registry
 * chooses the versions, so every rendered branch name is checked against git's ref-name rules and
 * a strict charset before anything is written under it, and every version before it is rendered.
 */
import { McpGitopsError } from '../../core/errors.js';
import { analyzeTemplate, renderPrepared } from '../../templates/index.js';
import type { UpdateChange } from '../types.js';

export const DEFAULT_BRANCH_TEMPLATE = 'mcp-gitops/update-{{update.name}}';
export const DEFAULT_TITLE_TEMPLATE = 'Update {{update.name}} to {{update.version}}';

const VARIABLES = new Set(['update.name', 'update.group', 'update.server', 'update.version']);
/** A version or pin as it may appear in a branch, a title, a YAML scalar or a PR body. */
export const SAFE_VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}(@sha256:[a-f0-9]{64})?$/;
const BRANCH_CHARSET = /^[A-Za-z0-9][A-Za-z0-9._/+-]*$/;
const MAX_BRANCH = 200;
const MAX_TITLE = 200;

export interface UpdateVariables {
  name: string;
  group: string;
  server: string;
  version: string;
}

/** The template variables of a change; throws when a proposed version has an unsafe shape. */
export function updateVariables(change: UpdateChange): UpdateVariables {
  const pins = change.updates.map((u) => {
    const pin = u.proposed?.pin ?? '';
    if (!SAFE_VERSION.test(pin)) {
      throw new McpGitopsError(
        'ERR_IO',
        `${u.server}: the proposed version has characters a pin may not hold`,
        {
          hint: 'the registry returned an unusual version string; pin it by hand after checking it',
        },
      );
    }
    return { server: u.server, pin };
  });
  const servers = [...new Set(pins.map((p) => p.server))];
  const versions = [...new Set(pins.map((p) => p.pin))];
  return {
    name: change.name,
    group: change.group ?? '',
    server: servers.join('-'),
    version:
      servers.length === 1 && versions.length === 1
        ? (versions[0] as string)
        : [...new Set(pins.map((p) => `${p.server}@${p.pin}`))].sort().join(', '),
  };
}

function render(what: string, template: string, variables: UpdateVariables): string {
  const analysis = analyzeTemplate(template);
  if (!analysis.ok) {
    throw new McpGitopsError(
      'ERR_INVALID_CONFIG',
      `updates.pullRequests.${what}: template does not parse: ${analysis.error}`,
    );
  }
  const unknown = analysis.variables.filter((v) => !VARIABLES.has(v));
  const problems = [...analysis.problems, ...unknown.map((v) => `"${v}" is not a variable here`)];
  if (problems.length > 0) {
    throw new McpGitopsError('ERR_INVALID_CONFIG', `updates.pullRequests.${what}: ${problems.join('; ')}`, {
      hint: `the variables are ${[...VARIABLES].join(', ')}`,
    });
  }
  return renderPrepared(template, { update: { ...variables } });
}

/** Why `name` is not a branch name this tool writes (git's ref rules, a strict charset), or undefined. */
export function branchNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_BRANCH) return `it must be 1 to ${MAX_BRANCH} characters`;
  if (!BRANCH_CHARSET.test(name))
    return 'it may hold only letters, digits and . _ / + -, and start with a letter or digit';
  if (name.includes('..')) return 'it may not contain ".."';
  if (name.includes('//') || name.endsWith('/')) return 'it may not contain "//" or end with "/"';
  if (name.endsWith('.')) return 'it may not end with "."';
  for (const part of name.split('/')) {
    if (part.startsWith('.') || part.endsWith('.lock'))
      return 'no part may start with "." or end with ".lock"';
  }
  if (name === 'HEAD' || name.startsWith('refs/')) return 'it may not be HEAD or start with refs/';
  return undefined;
}

export interface ChangeNames {
  branch: string;
  title: string;
}

export function changeNames(
  change: UpdateChange,
  templates: { branch?: string; title?: string } = {},
): ChangeNames {
  const variables = updateVariables(change);
  const branch = render('branch', templates.branch ?? DEFAULT_BRANCH_TEMPLATE, variables);
  const problem = branchNameProblem(branch);
  if (problem) {
    throw new McpGitopsError('ERR_INVALID_CONFIG', `branch name for ${change.name} refused: ${problem}`, {
      hint: 'change updates.pullRequests.branch so it renders to a plain branch name',
    });
  }
  const raw = render('title', templates.title ?? DEFAULT_TITLE_TEMPLATE, variables);
  // A title is one line of plain text: control characters and runs of space become one space.
  const title = raw
    .replace(/[\u0000-\u001f\u007f\s]+/g, ' ')
    .trim()
    .slice(0, MAX_TITLE);
  return { branch, title: title === '' ? `Update ${change.name}` : title };
}
