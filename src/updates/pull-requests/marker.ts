/**
 * The hidden marker at the top of an update pull request's body:
 * `<!-- mcp-gitops:update name=NAME versions=server@ver,server@ver -->`. It says which change and
 * which versions the pull request proposes, so a later run knows whether the PR already says this
 * (unchanged), proposes older versions (updated), or was closed for these versions (closed-before).
 * A body is untrusted text (anyone may edit a PR): the marker is read with a strict pattern.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const ENTRY = /^[a-z0-9][a-z0-9.-]{0,62}@[A-Za-z0-9][A-Za-z0-9._+@:-]{0,200}$/;
const MARKER =
  /<!-- mcp-gitops:update name=([A-Za-z0-9._-]{1,128}) versions=([A-Za-z0-9._+@:,-]{1,4000}) -->/;

export interface UpdateMarker {
  name: string;
  versions: string[];
}

export function renderMarker(marker: UpdateMarker): string {
  if (!NAME.test(marker.name) || !marker.versions.every((v) => ENTRY.test(v))) {
    throw new Error(`the update marker cannot hold ${JSON.stringify(marker.name).slice(0, 80)}`);
  }
  return `<!-- mcp-gitops:update name=${marker.name} versions=${[...marker.versions].sort().join(',')} -->`;
}

/** Whether a name can be written in a marker (group names are the user's). */
export function markerNameOk(name: string): boolean {
  return NAME.test(name);
}

export function parseMarker(body: string | null | undefined): UpdateMarker | undefined {
  const m = MARKER.exec(body ?? '');
  if (!m) return undefined;
  const versions = (m[2] as string).split(',');
  if (!versions.every((v) => ENTRY.test(v))) return undefined;
  return { name: m[1] as string, versions: versions.sort() };
}

export function sameVersions(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
