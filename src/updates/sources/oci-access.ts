/**
 * Which endpoint and credentials an image's registry is asked with. The Repository's
 * `updates.registries.oci` lists registries by host; the entry whose host is the image's registry
 * host wins, and its credential references are resolved only now, just before use. An image on a
 * registry with no entry is asked anonymously over https. Credentials live only in the returned
 * `RegistryAccess`; nothing here logs or prints them.
 */
import type { OciRegistrySpec, SecretRefField } from '../../core/resources.js';
import type { RegistryAccess } from '../types.js';
import { UpdateSourceError } from './errors.js';
import { isDockerHub, parseImageReference } from './oci-reference.js';

/** Resolve the registry endpoint and credentials for `identifier` from the configured OCI registries. */
export async function resolveOciAccess(
  identifier: string,
  oci: OciRegistrySpec[] | undefined,
  resolveSecret: (ref: string) => Promise<string>,
): Promise<RegistryAccess> {
  const image = parseImageReference(identifier);
  if (image === undefined) {
    throw new UpdateSourceError('bad-config', 'the image identifier is not a valid OCI reference');
  }
  const entry = (oci ?? []).find((r) => sameRegistry(r.host, image.host));
  const insecure = entry?.insecure === true;
  const url = entry?.url ?? `${insecure ? 'http' : 'https'}://${image.apiHost}`;
  const access: RegistryAccess = { url: url.replace(/\/+$/, '') };
  if (insecure) access.insecure = true;
  if (entry === undefined) return access;
  const read = async (field: SecretRefField | undefined): Promise<string | undefined> =>
    field === undefined ? undefined : resolveSecret(field.ref);
  const [token, username, password] = await Promise.all([
    read(entry.token),
    read(entry.username),
    read(entry.password),
  ]);
  if (token !== undefined) access.token = token;
  if (username !== undefined) access.username = username;
  if (password !== undefined) access.password = password;
  return access;
}

function sameRegistry(configured: string, host: string): boolean {
  const a = configured
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  const b = host.toLowerCase();
  if (isDockerHub(a) && isDockerHub(b)) return true;
  return a === b;
}
