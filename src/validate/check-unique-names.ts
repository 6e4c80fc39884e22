/** Names are unique per kind; the second (and later) definition is the error. */
import type { LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { diagnosticAt, whereNamed } from './diagnostic-at.js';

export function checkUniqueNames(documents: readonly LoadedDocument[]): Diagnostic[] {
  const first = new Map<string, LoadedDocument>();
  const out: Diagnostic[] = [];
  for (const doc of documents) {
    if (doc.kind === 'Repository' || doc.name === '') continue;
    const key = `${doc.kind}\0${doc.name}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, doc);
      continue;
    }
    out.push(
      diagnosticAt(
        doc,
        ['metadata', 'name'],
        `duplicate ${doc.kind} name "${doc.name}": already defined at ${whereNamed(earlier)}`,
        'duplicate-name',
      ),
    );
  }
  return out;
}
