/**
 * Semantic checks of update policies, which a JSON Schema cannot express, each at its file:line:
 * `ignore` entries are versions or semver ranges, `minimumReleaseAge` is a duration, `schedule` a
 * 5-field cron (src/updates/policy/cron.ts), `registryEntry` a reverse-DNS namespace and a name (`io.github.owner/name`), and
 * the pull request branch and title templates compile and use only the `update.*` variables.
 * Runs on the Server documents and the Repository that passed their schema.
 */
import { didYouMean } from '../config/suggest-name.js';
import type { LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { RepositoryResource, ServerResource, UpdatePolicySpec } from '../core/resources.js';
import { analyzeTemplate } from '../templates/analyze-template.js';
import { CronError, parseCron } from '../updates/policy/cron.js';
import { parseReleaseAge } from '../updates/policy/release-age.js';
import { isIgnoreEntry } from '../updates/policy/versions.js';
import { diagnosticAt } from './diagnostic-at.js';

const RULE = 'updates';
/** `io.github.owner/name`: a reverse-DNS namespace (two labels at least), a slash, a name. */
const REGISTRY_ENTRY =
  /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+\/[a-zA-Z0-9._-]{1,100}$/;
export const UPDATE_TEMPLATE_VARIABLES = ['update.name', 'update.group', 'update.server', 'update.version'];

type Path = (string | number)[];

export function checkUpdates(
  servers: readonly LoadedDocument<ServerResource>[],
  repository: LoadedDocument<RepositoryResource> | undefined,
  serverNames: ReadonlySet<string> = new Set(servers.map((d) => d.name)),
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const doc of servers) {
    const policy = doc.value.spec?.updates;
    if (policy) out.push(...checkPolicy(doc, ['spec', 'updates'], policy));
  }
  const updates = repository?.value.spec?.updates;
  if (repository && updates) {
    (updates.rules ?? []).forEach((rule, i) => {
      out.push(...checkPolicy(repository, ['spec', 'updates', 'rules', i], rule));
      (rule.match?.servers ?? []).forEach((name, j) => {
        if (serverNames.has(name)) return;
        out.push(
          diagnosticAt(
            repository,
            ['spec', 'updates', 'rules', i, 'match', 'servers', j],
            `${dotted(['spec', 'updates', 'rules', i, 'match', 'servers', j])}: no Server is named "${clip(name)}"${didYouMean(name, serverNames)}; the rule matches nothing by this name`,
            RULE,
            { severity: 'warning' },
          ),
        );
      });
    });
    const prs = updates.pullRequests;
    for (const field of ['branch', 'title'] as const) {
      const text = prs?.[field];
      if (text !== undefined) {
        out.push(...checkTemplate(repository, ['spec', 'updates', 'pullRequests', field], text));
      }
    }
  }
  return out;
}

function checkPolicy(doc: LoadedDocument, at: Path, policy: UpdatePolicySpec): Diagnostic[] {
  const out: Diagnostic[] = [];
  (policy.ignore ?? []).forEach((entry, i) => {
    if (!isIgnoreEntry(entry)) {
      out.push(
        diagnosticAt(
          doc,
          [...at, 'ignore', i],
          `${dotted([...at, 'ignore', i])}: "${clip(entry)}" is neither a version nor a semver range (write "2.0.0" or ">=3 <3.2")`,
          RULE,
        ),
      );
    }
  });
  if (policy.minimumReleaseAge !== undefined && parseReleaseAge(policy.minimumReleaseAge) === undefined) {
    out.push(
      diagnosticAt(
        doc,
        [...at, 'minimumReleaseAge'],
        `${dotted([...at, 'minimumReleaseAge'])}: "${clip(policy.minimumReleaseAge)}" is not a duration (write 3d, 12h, 90m, 1w or 1d12h)`,
        RULE,
      ),
    );
  }
  if (policy.schedule !== undefined) {
    try {
      parseCron(policy.schedule);
    } catch (err) {
      const why = err instanceof CronError ? err.message : 'not a cron expression';
      out.push(
        diagnosticAt(
          doc,
          [...at, 'schedule'],
          `${dotted([...at, 'schedule'])}: "${clip(policy.schedule)}" is not a 5-field cron expression (UTC): ${why}`,
          RULE,
        ),
      );
    }
  }
  if (policy.registryEntry !== undefined && !REGISTRY_ENTRY.test(policy.registryEntry)) {
    out.push(
      diagnosticAt(
        doc,
        [...at, 'registryEntry'],
        `${dotted([...at, 'registryEntry'])}: "${clip(policy.registryEntry)}" is not an MCP registry name; expected reverse DNS and a name, like io.github.owner/name`,
        RULE,
      ),
    );
  }
  return out;
}

function checkTemplate(doc: LoadedDocument, at: Path, text: string): Diagnostic[] {
  const field = `${dotted(at)}: template`;
  const analysis = analyzeTemplate(text);
  if (!analysis.ok) return [diagnosticAt(doc, at, `${field}: ${analysis.error}`, RULE)];
  const problems = [...analysis.problems];
  for (const variable of analysis.variables) {
    if (!UPDATE_TEMPLATE_VARIABLES.includes(variable)) {
      problems.push(`unknown variable "${variable}" (use ${UPDATE_TEMPLATE_VARIABLES.join(', ')})`);
    }
  }
  return problems.map((problem) => diagnosticAt(doc, at, `${field}: ${problem}`, RULE));
}

/** `spec.updates.rules[0].ignore[2]`, as schema errors name fields. */
function dotted(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Text from the repo, shown in a message: one line, bounded. */
function clip(text: string): string {
  const line = String(text).replace(/[\u0000-\u001f\u007f]/g, ' ');
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
