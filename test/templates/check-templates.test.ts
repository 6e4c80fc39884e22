import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostic, sortDiagnostics } from '../../src/core/diagnostics.js';
import { checkTemplates } from '../../src/validate/check-templates.js';
import { configFromYaml } from '../resolve/config-from-yaml.js';

const servers = `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: memory }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-memory", version: "2026.8.31" }
  transport: stdio
  env:
    DATA: "{{vars.dataDir}}/{{environment.name}}"
    PROJECT: "{{target.projectDir}}"
    PORT: "{{server.port}}"
    OK: "{{json server.name}} {{#if vars.dataDir}}{{target.host}}{{/if}}"
    COND: "{{#unless vars.onlyInDev}}off{{/unless}}"
    OVERRIDDEN: "{{vars.onlyInDev}}"
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: hostile }
spec:
  command:
    path: "{{constructor}}"
    args:
      - "{{> evil}}"
      - "{{lookup vars 'x'}}"
      - "{{secrets.TOKEN}}"
      - "{{{vars.nope}}}"
      - "{{vars.dataDir"
      - "{{vars.__proto__}}"
  transport: stdio
`;

const environments = `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  vars: { dataDir: /tmp, flag: "1", onlyInDev: x }
  targets:
    - { name: laptop, provider: client-config, projectDir: "/home/{{vars.user}}", home: "{{server.name}}" }
  servers: [{ name: memory }, { name: hostile }]
---
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: prod }
spec:
  vars: { flag: "0" }
  targets:
    - { name: vm, provider: process, projectDir: /srv }
    - { name: box, provider: process }
  servers:
    - name: memory
      overrides:
        port: 4000
        env: { OVERRIDDEN: plain, EXTRA: "{{vars.extra}}" }
`;

test('checkTemplates: exact diagnostics at the template node', () => {
  const config = configFromYaml({ 'servers/s.yaml': servers, 'environments/e.yaml': environments });
  const lines = sortDiagnostics(checkTemplates(config)).map(formatDiagnostic);
  assert.deepEqual(lines, [
    'environments/e.yaml:7:60: error: "vars.user" is not defined in environment dev (add it to spec.vars there) [template]',
    'environments/e.yaml:7:89: error: unknown variable "server.name" (target settings may use vars.*, environment.name and target.name) [template]',
    'environments/e.yaml:22:42: error: "vars.extra" is not defined in environment prod (add it to spec.vars there) [template]',
    'servers/s.yaml:8:11: error: "vars.dataDir" is not defined in environment prod (add it to spec.vars there) [template]',
    'servers/s.yaml:9:14: error: "target.projectDir" is not set on target box of environment prod [template]',
    'servers/s.yaml:10:11: error: "server.port" is used but server memory has no port in environment dev [template]',
    'servers/s.yaml:11:9: error: "vars.dataDir" is not defined in environment prod (add it to spec.vars there) [template]',
    'servers/s.yaml:12:11: error: "vars.onlyInDev" is not defined in environment prod (add it to spec.vars there) [template]',
    'servers/s.yaml:20:11: error: template refused: "constructor": access to "constructor" is refused [template]',
    'servers/s.yaml:22:9: error: template refused: partials ({{> name}}) are not allowed [template]',
    'servers/s.yaml:23:9: error: template refused: unknown helper "lookup" (allowed: json, if, unless) [template]',
    'servers/s.yaml:24:9: error: unknown variable "secrets.TOKEN" (templates may use vars.*, environment.name, target.name|host|<setting>, server.name|port|path) [template]',
    'servers/s.yaml:25:9: error: "vars.nope" is not defined in environment dev (add it to spec.vars there) [template]',
    "servers/s.yaml:26:9: error: template does not parse: Expecting 'ID', got 'INVALID' (template line 1) [template]",
    'servers/s.yaml:27:9: error: template refused: "vars.__proto__": access to "__proto__" is refused [template]',
  ]);
});

test('checkTemplates: a valid repo has no diagnostics; supports() narrows the targets checked', () => {
  const fixedEnv = environments
    .replace('vars: { flag: "0" }', 'vars: { flag: "0", dataDir: /srv, extra: e, onlyInDev: y }')
    .replace('"/home/{{vars.user}}", home: "{{server.name}}"', '"/home/{{target.name}}"')
    .replace(
      'servers: [{ name: memory }, { name: hostile }]',
      'servers: [{ name: memory, overrides: { port: 1 } }]',
    );
  const config = configFromYaml({
    'servers/s.yaml': servers.split('\n---\n')[0]!,
    'environments/e.yaml': fixedEnv,
  });
  assert.deepEqual(checkTemplates(config).map(formatDiagnostic), [
    'servers/s.yaml:9:14: error: "target.projectDir" is not set on target box of environment prod [template]',
  ]);
  assert.deepEqual(checkTemplates(config, { supports: (_s, t) => t.name !== 'box' }), []);
});
