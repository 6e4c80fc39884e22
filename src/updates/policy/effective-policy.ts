/**
 * One server's update policy: the Repository's `updates.rules` that match it, in order (a later
 * matching rule wins per field), then the Server's own `spec.updates` (wins over every rule), then
 * the defaults (allow minor, nothing ignored, no minimum age, no prereleases). Digests are required
 * of OCI servers when the Repository says `updates.requireDigests` or enables the `oci-digests`
 * built-in policy. Pure: the finder and the pull-request layer both call it.
 */
import type {
  RepositoryResource,
  ServerResource,
  UpdatePolicySpec,
  UpdateRuleSpec,
} from '../../core/resources.js';
import type { UpdatePolicy } from '../types.js';
import { parseReleaseAge } from './release-age.js';

export const DIGEST_POLICY = 'oci-digests';

const FIELDS = [
  'allow',
  'ignore',
  'minimumReleaseAge',
  'group',
  'schedule',
  'registryEntry',
  'prereleases',
] as const satisfies readonly (keyof UpdatePolicySpec)[];

/** Whether a rule's `match` selects this server (no `match`, or an empty one, selects all). */
export function ruleMatches(rule: UpdateRuleSpec, server: ServerResource): boolean {
  const match = rule.match;
  if (!match) return true;
  if (match.servers && !match.servers.includes(server.metadata.name)) return false;
  if (match.labels) {
    const labels = server.metadata.labels ?? {};
    for (const [key, value] of Object.entries(match.labels)) {
      if (labels[key] !== value) return false;
    }
  }
  if (match.registryTypes) {
    const type = server.spec.package?.registryType;
    if (type === undefined || !match.registryTypes.includes(type)) return false;
  }
  return true;
}

export function effectivePolicy(
  server: ServerResource,
  repository: RepositoryResource | undefined,
): UpdatePolicy {
  const written: UpdatePolicySpec = {};
  const layers: UpdatePolicySpec[] = [
    ...(repository?.spec.updates?.rules ?? []).filter((rule) => ruleMatches(rule, server)),
    ...(server.spec.updates ? [server.spec.updates] : []),
  ];
  for (const layer of layers) {
    for (const field of FIELDS) {
      if (layer[field] !== undefined) (written as Record<string, unknown>)[field] = layer[field];
    }
  }
  const digests =
    repository?.spec.updates?.requireDigests === true ||
    (repository?.spec.policies ?? []).includes(DIGEST_POLICY);
  const policy: UpdatePolicy = {
    allow: written.allow ?? 'minor',
    ignore: [...(written.ignore ?? [])],
    minimumReleaseAgeMs: parseReleaseAge(written.minimumReleaseAge ?? '0') ?? 0,
    prereleases: written.prereleases ?? false,
    requireDigest: digests && server.spec.package?.registryType === 'oci',
  };
  if (written.group !== undefined) policy.group = written.group;
  if (written.schedule !== undefined) policy.schedule = written.schedule;
  if (written.registryEntry !== undefined) policy.registryEntry = written.registryEntry;
  return policy;
}
