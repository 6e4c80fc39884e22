/** YAML of the config repo in retired-targets.test.ts. */
const HEAD = 'apiVersion: mcp-gitops/v1';

export function repository(): string {
  return `${HEAD}\nkind: Repository\nmetadata:\n  name: retired\nspec:\n  branch: main\n`;
}

export function remoteServer(name: string, url: string): string {
  return `${HEAD}\nkind: Server\nmetadata:\n  name: ${name}\nspec:\n  remote:\n    url: ${url}\n  transport: streamable-http\n  health:\n    expectTools: [echo]\n    timeoutMs: 10000\n`;
}

export function commandServer(name: string, node: string, script: string, port: number): string {
  return `${HEAD}\nkind: Server\nmetadata:\n  name: ${name}\nspec:\n  command:\n    path: ${node}\n    args: ["${script}"]\n  transport: streamable-http\n  port: ${port}\n  path: /mcp\n  env:\n    PORT: "{{server.port}}"\n  health:\n    expectTools: [whoami]\n    timeoutMs: 10000\n`;
}

/** A Cursor target; `dir` names its project dir (default: its own name). */
function cursorTarget(spec: string): string {
  const [name, dir = name] = spec.split('@');
  return `    - name: ${name}\n      provider: client-config\n      clients: [cursor]\n      projectDir: ~/p/${dir}\n`;
}

function sync(prune: boolean): string {
  return `  sync:\n    prune: ${prune}\n    maxDeletions: 3\n`;
}

/** An environment of Cursor targets, each with its own project dir, all registering `remote`. */
export function cursorEnv(env: string, targets: string[], prune: boolean): string {
  return `${HEAD}\nkind: Environment\nmetadata:\n  name: ${env}\nspec:\n${sync(prune)}  targets:\n${targets.map(cursorTarget).join('')}  servers:\n    - name: remote\n      targets: [${names(targets).join(', ')}]\n`;
}

const names = (targets: string[]) => targets.map((t) => t.split('@')[0]);

/** `dev`: Cursor targets (`name` or `name@projectDir`) with `remote` (+ `extra` servers on the first), and optionally the process target `services`. */
export function dev(targets: string[], prune: boolean, services = true, extra: string[] = []): string {
  const process = services
    ? '    - name: services\n      provider: process\n      host: local\n      baseDir: ~/.mcp-gitops\n      supervisor: start-stop-daemon\n'
    : '';
  const svc = services ? '    - name: svc\n      targets: [services]\n' : '';
  const more = extra.map((s) => `    - name: ${s}\n      targets: [${names(targets)[0]}]\n`).join('');
  return `${HEAD}\nkind: Environment\nmetadata:\n  name: dev\nspec:\n${sync(prune)}  targets:\n${targets.map(cursorTarget).join('')}${process}  servers:\n    - name: remote\n      targets: [${names(targets).join(', ')}]\n${svc}${more}`;
}
