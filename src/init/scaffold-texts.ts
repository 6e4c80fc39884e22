/** Fixed texts of a new config repo: Repository, example Policy, .gitignore, README. */
import type { CliInvocation } from './cli-invocation.js';
import { modeline } from './schema-modeline.js';

export const DEFAULT_POLICIES = ['no-plaintext-secrets', 'pinned-versions', 'require-health-check'];

export function repositoryYaml(
  name: string,
  enabled: readonly string[],
  available: readonly string[],
): string {
  const others = available.filter((p) => !enabled.includes(p));
  const more = others.length > 0 ? `  # other built-in policies: ${others.join(', ')}\n` : '';
  return (
    modeline('mcp-gitops.yaml', 'Repository') +
    `apiVersion: mcp-gitops/v1
kind: Repository
metadata:
  name: ${name}
spec:
  branch: main                  # the branch that is desired state
  policies: [${enabled.join(', ')}]
${more}  # reports: { dir: reports }
  # tags: { prefix: "{{environment.name}}/v" }
`
  );
}

export function examplePolicyYaml(file: string): string {
  return (
    modeline(file, 'Policy') +
    `# An example of your own policy: every matched resource must satisfy the JSON Schema in "assert".
apiVersion: mcp-gitops/v1
kind: Policy
metadata:
  name: servers-have-description
spec:
  severity: warning             # error blocks validate/plan/apply; warning is printed
  message: Every server should say what it is for in spec.description
  match:
    kinds: [Server]
  assert:
    properties:
      spec:
        required: [description]
`
  );
}

export const GITIGNORE = `# Secret values never go into git: the repo holds references (env:VAR, file:PATH).
.env
.env.*
*.pem
*.key
secrets/
# Local state of mcp-gitops; the schema copies stay tracked for editors.
.mcp-gitops/*
!.mcp-gitops/schemas/
node_modules/
`;

/**
 * The new repo's README. It is shared with the team, so its commands name `mcp-gitops` as the
 * user runs it (on PATH, or `npx` inside a project that has it); a machine-specific
 * `node /path/…` is named once, in a note, not in every command. mcp-gitops is not on npm, so the
 * README says how to install it from its repository instead of linking a registry page.
 */
export function readmeMd(
  name: string,
  environments: readonly string[],
  cli: CliInvocation,
  version: string,
): string {
  const env = environments[0] ?? 'dev';
  const run = cli.kind === 'node' ? 'mcp-gitops' : cli.command;
  const pad = (command: string) => command.padEnd(run.length + 28);
  const asRun =
    cli.kind === 'node'
      ? `\nThis repo was created by running \`${cli.command}\`: until \`mcp-gitops\` is on your PATH, run that in
its place.\n`
      : '';
  return `# ${name}

MCP servers managed with mcp-gitops: this repo is the desired state; \`mcp-gitops\` makes every
target match it.

- \`mcp-gitops.yaml\`: branch, reports, tags and the built-in policies enabled
- \`servers/\`: one \`Server\` per file
- \`environments/\`: targets and which servers go where (${environments.join(', ')})
- \`policies/\`: your own policies
- \`reports/\`: written by mcp-gitops only

\`\`\`sh
${pad(`${run} validate`)}# check every file, with FILE:LINE:COL errors
${pad(`${run} hooks install`)}# validate on every commit and push
${pad(`${run} plan --env ${env}`)}# what would change
${pad(`${run} reconcile --env ${env}`)}# apply, verify over MCP, commit reports, tag ${env}/vX.Y.Z
\`\`\`

## Getting mcp-gitops

mcp-gitops is not published to npm. Install it from a checkout of its source repository:
\`npm ci && npm pack\`, then \`npm install -g ./mcp-gitops-${version}.tgz\` (or \`npm link\`) puts
\`mcp-gitops\` on your PATH.
${asRun}
Editors with the YAML language server complete and check fields through the schemas in
\`.mcp-gitops/schemas/\` (a copy of the ones shipped with mcp-gitops).
`;
}
