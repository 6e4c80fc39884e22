/**
 * `mcp-gitops tools lock [SERVER] [--env E] [--commit]`: verify each selected server version live
 * and write its lock, `tool-locks/<server>/<version>.yaml`, into the working tree, as
 * `terraform providers lock` does: the user reviews the diff and commits it (or passes --commit,
 * which commits exactly those files). No resolved secret value reaches a lock: the surface is
 * redacted with the run's one redactor, and the text is checked again before it is written.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { McpGitopsError } from '../../core/errors.js';
import { openRepo } from '../../git/open-repo.js';
import { redactor } from '../../log/redact.js';
import { lockPath, redactSurface, renderLock } from '../../surface/lock/index.js';
import { escapeLine } from './tools-format.js';
import { type Instance, instancesOf, LiveVerifier, loadForTools } from './tools-live.js';

export interface LockFlags {
  env?: string;
  commit?: boolean;
}

type Outcome = { path: string; state: 'new' | 'updated' | 'unchanged' } | { failed: string };

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const where = (i: Instance) => `${i.server.name} ${i.version} on ${i.environment}/${i.target}`;

export async function runToolsLock(
  root: string,
  server: string | undefined,
  flags: LockFlags,
): Promise<void> {
  const { desired } = await loadForTools(root, flags.env);
  const instances = instancesOf(desired, server);
  const verifier = new LiveVerifier(root, desired);
  const outcomes: Outcome[] = [];
  const texts = new Map<string, string>();
  try {
    for (const instance of instances) {
      process.stderr.write(`verifying ${where(instance)} (the first target that runs this version)\n`);
      const { result } = await verifier.verify(instance);
      if (!result.ok || !result.surface) {
        outcomes.push({ failed: `${where(instance)}: not locked: ${result.error ?? result.health}` });
        continue;
      }
      const { surface, redacted } = redactSurface(result.surface, (s) => redactor.redact(s));
      if (redacted) {
        process.stderr.write(
          `warning: ${escapeLine(instance.server.name)} lists a secret value in its tools or instructions; it is [REDACTED] in the lock, which will not match the live surface\n`,
        );
      }
      const text = renderLock(instance.server.name, instance.version, surface);
      if (redactor.redact(text) !== text) throw new Error('a secret value survived redaction of a lock');
      const path = lockPath(instance.server.name, instance.version);
      const file = join(root, path);
      const before = readIfExists(file);
      texts.set(path, text);
      if (before === text) {
        outcomes.push({ path, state: 'unchanged' });
        continue;
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      outcomes.push({ path, state: before === undefined ? 'new' : 'updated' });
    }
  } finally {
    await verifier.close();
  }
  const written = outcomes.flatMap((o) => ('path' in o && o.state !== 'unchanged' ? [o] : []));
  const lines = outcomes.map((o) =>
    'failed' in o
      ? `failed: ${o.failed}`
      : `${o.state === 'unchanged' ? 'unchanged' : 'wrote'} ${o.path}${o.state === 'unchanged' ? '' : ` (${o.state})`}`,
  );
  const failed = outcomes.length - outcomes.filter((o) => 'path' in o).length;
  if (flags.commit && written.length > 0) {
    const repo = await openRepo(root);
    await repo.writeAndStage(written.map((o) => ({ path: o.path, content: texts.get(o.path) ?? '' })));
    const names = [...new Set(instances.map((i) => i.server.name))].join(', ');
    const oid = await repo.commit(
      redactor.redact(
        `tools lock: ${names}\n\nThe tool surface of each server version as verified live, for review.`,
      ),
      desired.repository.author,
    );
    lines.push(
      `committed ${written.length} lock file${written.length === 1 ? '' : 's'} as ${oid.slice(0, 12)}`,
    );
  } else if (written.length > 0) {
    lines.push('Review the diff and commit the lock files (or run again with --commit).');
  }
  lines.push(
    `${written.length} written, ${outcomes.length - written.length - failed} unchanged, ${failed} failed.`,
  );
  process.stdout.write(redactor.redact(`${lines.join('\n')}\n`));
  if (failed > 0) {
    throw new McpGitopsError(
      'ERR_PROVIDER',
      `${failed} server version${failed === 1 ? '' : 's'} could not be locked`,
      {
        hint: 'a server must verify (answer tools/list) on the target before its surface can be locked',
      },
    );
  }
}
