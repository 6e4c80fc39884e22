/**
 * Pure: the text of the git hooks `hooks install` writes. Each calls the same node binary and
 * mcp-gitops script that installed it, by absolute path, so it works without PATH (GUI git
 * clients, version managers). The marker line is how a later install recognises its own hook.
 */
export type GitHookName = 'pre-commit' | 'pre-push';
export const GIT_HOOKS: readonly GitHookName[] = ['pre-commit', 'pre-push'];
export const HOOK_MARKER = '# mcp-gitops-hook:';

export interface HookCommand {
  /** Absolute path of the node executable. */
  node: string;
  /** Absolute path of the mcp-gitops bin script. */
  bin: string;
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function invocation(cmd: HookCommand, args: string): string {
  // Diagnostics go to stderr like every git hook's output (git shows a pre-push hook's stdout apart).
  return `${shellQuote(cmd.node)} ${shellQuote(cmd.bin)} validate ${args} >&2`;
}

export function renderHook(name: GitHookName, cmd: HookCommand): string {
  if (name === 'pre-commit') {
    return `#!/bin/sh
${HOOK_MARKER} pre-commit
# Installed by \`mcp-gitops hooks install\`: validates the staged config (the index, not the work
# tree) before every commit. Skip once with \`git commit --no-verify\`; delete this file to remove.
case "\${GIT_INDEX_FILE:-index}" in
  index | */index) exec ${invocation(cmd, '--staged')} ;;
esac
# \`git commit -a\` and \`git commit PATHS\` stage into a temporary index (GIT_INDEX_FILE): validate
# exactly that, as a throwaway commit object of its tree (unreferenced; git gc prunes it).
tree=$(git write-tree) || exit 1
rev=$(GIT_AUTHOR_NAME=mcp-gitops GIT_AUTHOR_EMAIL=mcp-gitops@localhost \\
  GIT_COMMITTER_NAME=mcp-gitops GIT_COMMITTER_EMAIL=mcp-gitops@localhost \\
  git commit-tree "$tree" -m "mcp-gitops pre-commit check") || exit 1
exec ${invocation(cmd, '--rev "$rev"')}
`;
  }
  return `#!/bin/sh
${HOOK_MARKER} pre-push
# Installed by \`mcp-gitops hooks install\`: validates the commit at the tip of every ref being
# pushed. Skip once with \`git push --no-verify\`; delete this file to remove.
# git writes one line per ref on stdin: <local ref> <local sha> <remote ref> <remote sha>
status=0
while read -r local_ref local_sha remote_ref remote_sha; do
  case "$local_sha" in
    *[!0]*) ;;
    *) continue ;; # a deletion: nothing to validate
  esac
  if ! ${invocation(cmd, '--rev "$local_sha"')} </dev/null; then
    echo "mcp-gitops: $local_ref ($local_sha) does not validate; push refused" >&2
    status=1
  fi
done
exit $status
`;
}

export function isOwnHook(text: string): boolean {
  return text.includes(HOOK_MARKER);
}
