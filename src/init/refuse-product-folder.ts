/**
 * `init` never scaffolds inside mcp-gitops's own folder (its source checkout or its installed
 * package): a config repo is a git repository of its own, and a walkthrough run from the clone
 * would otherwise bury `my-mcp/` in the tool's checkout, where the tool's own git sees it and
 * `--force` could overwrite the product's files. Checked before anything is written.
 */
import * as path from 'node:path';
import { McpGitopsError } from '../core/errors.js';
import { isInside, shellWord } from './cli-invocation.js';
import { detectInvocation, realTarget } from './detect-invocation.js';
import { isSourceCheckout, productRoot } from './product-paths.js';

export function refuseProductFolder(dir: string, env: NodeJS.ProcessEnv = process.env): void {
  const root = realTarget(productRoot());
  const target = realTarget(dir);
  if (!isInside(root, target)) return;
  const what = isSourceCheckout() ? 'source checkout' : 'installed package';
  const home = env.HOME ? realTarget(env.HOME) : undefined;
  const example =
    home && !isInside(root, home)
      ? `cd ~ && ${detectInvocation(path.join(home, 'my-mcp'), env).command} init my-mcp`
      : `${detectInvocation(path.join(path.dirname(root), 'my-mcp'), env).command} init ${shellWord(path.join(path.dirname(root), 'my-mcp'))}`;
  throw new McpGitopsError(
    'ERR_USAGE',
    `refusing to create a config repo in ${target}: that is inside mcp-gitops's own ${what} (${root})`,
    {
      hint: `a config repo is a git repository of its own; nothing was written. Run init from another folder, e.g. \`${example}\``,
    },
  );
}
