/**
 * Links to a commit or tag on the forge that hosts the remote, when it is one we know the URL
 * scheme of: GitHub (`/commit/<sha>`) and GitLab (`/-/commit/<sha>`), by host name. Anything else
 * gets no link. Credentials in the remote URL never reach the link.
 */

export interface Forge {
  commit(oid: string): string;
  tag(name: string): string;
}

export function forgeOf(remote: string): Forge | undefined {
  let host: string;
  let repoPath: string;
  const scp = /^[^@/]+@([^:/]+):(.+)$/.exec(remote);
  if (scp) {
    host = scp[1] as string;
    repoPath = scp[2] as string;
  } else {
    let u: URL;
    try {
      u = new URL(remote);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(u.protocol)) return undefined;
    host = u.hostname;
    repoPath = u.pathname;
  }
  repoPath = repoPath
    .replace(/^\/+/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  if (!/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)+$/.test(repoPath)) return undefined;
  const base = `https://${host.toLowerCase()}/${repoPath}`;
  if (host.toLowerCase() === 'github.com' || host.toLowerCase().startsWith('github.'))
    return {
      commit: (oid) => `${base}/commit/${encodeURIComponent(oid)}`,
      tag: (name) => `${base}/tree/${segments(name)}`,
    };
  if (host.toLowerCase() === 'gitlab.com' || host.toLowerCase().startsWith('gitlab.'))
    return {
      commit: (oid) => `${base}/-/commit/${encodeURIComponent(oid)}`,
      tag: (name) => `${base}/-/tags/${segments(name)}`,
    };
  return undefined;
}

/** A ref name in a URL path: each `/`-separated part encoded, the slashes kept. */
function segments(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}
