/** Fixed texts of a new config repo: Repository, example Policy, .gitignore, README. */
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

export function readmeMd(name: string, environments: readonly string[]): string {
  const env = environments[0] ?? 'dev';
  return `# ${name}

MCP servers managed with [mcp-gitops](https://www.npmjs.com/package/mcp-gitops): this repo is the
desired state; \`mcp-gitops\` makes every target match it.

- \`mcp-gitops.yaml\`: branch, reports, tags and the built-in policies enabled
- \`servers/\`: one \`Server\` per file
- \`environments/\`: targets and which servers go where (${environments.join(', ')})
- \`policies/\`: your own policies
- \`reports/\`: written by mcp-gitops only

\`\`\`sh
mcp-gitops validate             # check every file, with FILE:LINE:COL errors
mcp-gitops hooks install        # validate on every commit and push
mcp-gitops plan --env ${env}       # what would change
mcp-gitops apply --env ${env}
\`\`\`

Editors with the YAML language server complete and check fields through the schemas in
\`.mcp-gitops/schemas/\` (a copy of the ones shipped with mcp-gitops).
`;
}
