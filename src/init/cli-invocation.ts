/**
 * Pure: which command `init` tells the user to run next, so every text it prints or writes names
 * something that really runs on their machine. `mcp-gitops` is not published to npm, so
 * `npx mcp-gitops` outside a project that depends on it would fetch nothing (or a stranger's
 * package), and a bare `mcp-gitops` fails until the user installed it. The facts are gathered by
 * `detect-invocation.ts`.
 */
import * as path from 'node:path';

export interface InvocationFacts {
  /** An executable `mcp-gitops` is on the user's own PATH (npm's `node_modules/.bin` left out). */
  onPath: boolean;
  /** Run through `npx`/`npm exec` in a project that has this very package installed: its folder. */
  npxProject?: string;
  /** The folder of the new config repo. */
  targetDir: string;
  /** The product's package folder and its `bin/mcp-gitops.js`. */
  productRoot: string;
  binScript: string;
  /** The product runs from a source checkout (it can be packed and installed from there). */
  checkout: boolean;
  version: string;
}

export type InvocationKind = 'path' | 'npx' | 'node';

export interface CliInvocation {
  kind: InvocationKind;
  /** Shell words that run mcp-gitops: `mcp-gitops`, `npx mcp-gitops` or `node /…/bin/mcp-gitops.js`. */
  command: string;
  /** How to put `mcp-gitops` on PATH; empty when it is there. */
  install: string[];
}

/** True when `child` is `parent` or lies below it (both absolute, already resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A word the POSIX shell passes through as it is, quoted only when it has to be. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./~-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The lines that say how to get `mcp-gitops` onto PATH from where this copy of it lives. */
export function installLines(facts: Pick<InvocationFacts, 'productRoot' | 'checkout' | 'version'>): string[] {
  const tarball = `mcp-gitops-${facts.version}.tgz`;
  if (facts.checkout) {
    return [
      `mcp-gitops is not on your PATH. To put it there, in its checkout (${facts.productRoot}):`,
      `  npm pack && npm install -g ./${tarball}    # or: npm link`,
    ];
  }
  const parent = path.dirname(facts.productRoot);
  if (path.basename(parent) === 'node_modules' && path.basename(path.dirname(parent)) === 'lib') {
    const bin = path.join(path.dirname(path.dirname(parent)), 'bin');
    return [`mcp-gitops is not on your PATH: add ${bin} (where npm installed it) to PATH.`];
  }
  return [
    'mcp-gitops is not on your PATH. To put it there, in a checkout of its repository:',
    `  npm ci && npm pack && npm install -g ./${tarball}    # or: npm link`,
  ];
}

export function describeInvocation(facts: InvocationFacts): CliInvocation {
  if (facts.onPath) return { kind: 'path', command: 'mcp-gitops', install: [] };
  const install = installLines(facts);
  if (facts.npxProject !== undefined && isInside(facts.npxProject, facts.targetDir)) {
    return { kind: 'npx', command: 'npx mcp-gitops', install };
  }
  return { kind: 'node', command: `node ${shellWord(facts.binScript)}`, install };
}
