/** `mcp-gitops init`: presets + example servers + policies + schemas → a committed config repo. */
import * as path from 'node:path';
import { buildScaffold, repoNameFrom } from './build-scaffold.js';
import { initAuthor } from './git-author.js';
import { DEFAULT_PRESET } from './list-presets.js';
import { readScaffoldSources } from './read-scaffold-sources.js';
import { type WriteScaffoldResult, writeScaffold } from './write-scaffold.js';

export { DEFAULT_PRESET };

export interface InitOptions {
  presets: readonly string[];
  force: boolean;
  noGit: boolean;
}

export async function initRepo(dir: string, options: InitOptions): Promise<WriteScaffoldResult> {
  const root = path.resolve(dir);
  const presets = [...new Set(options.presets.length > 0 ? options.presets : [DEFAULT_PRESET])];
  const files = buildScaffold(repoNameFrom(path.basename(root)), readScaffoldSources(presets));
  const author = await initAuthor(path.dirname(root));
  return writeScaffold(root, files, { force: options.force, noGit: options.noGit, author });
}
