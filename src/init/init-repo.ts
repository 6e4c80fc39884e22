/**
 * `mcp-gitops init`: presets + example servers + policies + schemas → a committed config repo,
 * never inside mcp-gitops's own folder, with texts that name the command the user can run.
 */
import * as path from 'node:path';
import { buildScaffold, repoNameFrom } from './build-scaffold.js';
import type { CliInvocation } from './cli-invocation.js';
import { detectInvocation } from './detect-invocation.js';
import { initAuthor } from './git-author.js';
import { DEFAULT_PRESET } from './list-presets.js';
import { productVersion } from './product-paths.js';
import { readScaffoldSources } from './read-scaffold-sources.js';
import { refuseProductFolder } from './refuse-product-folder.js';
import { type WriteScaffoldResult, writeScaffold } from './write-scaffold.js';

export { DEFAULT_PRESET };

export interface InitOptions {
  presets: readonly string[];
  force: boolean;
  noGit: boolean;
  /** Where PATH and npm's variables are read from (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
}

export interface InitResult extends WriteScaffoldResult {
  /** The command the user runs mcp-gitops with, as the README and the next steps name it. */
  cli: CliInvocation;
  /** Environment names the scaffold declares, in preset order. */
  environments: string[];
}

export async function initRepo(dir: string, options: InitOptions): Promise<InitResult> {
  const root = path.resolve(dir);
  const env = options.env ?? process.env;
  refuseProductFolder(root, env);
  const presets = [...new Set(options.presets.length > 0 ? options.presets : [DEFAULT_PRESET])];
  const cli = detectInvocation(root, env);
  const files = buildScaffold(repoNameFrom(path.basename(root)), readScaffoldSources(presets), {
    cli,
    version: productVersion(),
  });
  const environments = files
    .map((f) => /^environments\/(.+)\.yaml$/.exec(f.path)?.[1])
    .filter((name): name is string => name !== undefined);
  const author = await initAuthor(path.dirname(root));
  const written = await writeScaffold(root, files, { force: options.force, noGit: options.noGit, author });
  return { ...written, cli, environments };
}
