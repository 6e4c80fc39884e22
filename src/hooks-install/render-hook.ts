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
  /** Config repo relative to the git work tree's top level ('' when they are the same). */
  repo: string;
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function invocation(cmd: HookCommand, args: string): string {
  const repo = cmd.repo ? ` --repo ${shellQuote(cmd.repo)}` : '';
  return `${shellQuote(cmd.node)} ${shellQuote(cmd.bin)}${repo} validate ${args}`;
}

export function renderHook(name: GitHookName, cmd: HookCommand): string {
  if (name === 'pre-commit') {
    return `#!/bin/sh
${HOOK_MARKER} pre-commit
# Installed by \`mcp-gitops hooks install\`: validates the staged config (the index, not the work
# tree) before every commit. Skip once with \`git commit --no-verify\`; delete this file to remove.
exec ${invocation(cmd, '--staged')}
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
