/**
 * Decides whether a parsed document is a resource: a mapping with `apiVersion: mcp-gitops/v1` and
 * a known `kind`. Anything else in a resource file is an error at its position.
 */
import type { LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { API_VERSION, KINDS, type Kind } from '../core/resources.js';
import type { Locate } from './locate-node.js';
import { didYouMean } from './suggest-name.js';

export type Classified = { document: LoadedDocument } | { diagnostics: Diagnostic[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

export function classifyDocument(file: string, index: number, value: unknown, locate: Locate): Classified {
  const at = (
    path: (string | number)[],
    message: string,
    rule: string,
    which: 'key' | 'value' = 'value',
  ): Diagnostic => ({
    ...locate(path, which),
    severity: 'error',
    message,
    rule,
  });
  if (!isPlainObject(value)) {
    return {
      diagnostics: [
        at(
          [],
          'a document here must be a resource: a mapping with apiVersion, kind, metadata and spec',
          'document',
        ),
      ],
    };
  }
  const diagnostics: Diagnostic[] = [];
  const { apiVersion, kind } = value;
  if (apiVersion === undefined) {
    diagnostics.push(
      at([], `missing apiVersion: every resource starts with apiVersion: ${API_VERSION}`, 'api-version'),
    );
  } else if (apiVersion !== API_VERSION) {
    diagnostics.push(
      at(
        ['apiVersion'],
        `unsupported apiVersion ${describe(apiVersion)}: this version of mcp-gitops reads ${API_VERSION}`,
        'api-version',
      ),
    );
  }
  if (kind === undefined) {
    diagnostics.push(at([], `missing kind: one of ${KINDS.join(', ')}`, 'unknown-kind'));
  } else if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    const hint = typeof kind === 'string' ? didYouMean(kind, KINDS) : '';
    diagnostics.push(
      at(
        ['kind'],
        `unknown kind ${describe(kind)}${hint}: expected one of ${KINDS.join(', ')}`,
        'unknown-kind',
      ),
    );
  }
  if (diagnostics.length > 0) return { diagnostics };
  const metadata = value.metadata;
  const name = isPlainObject(metadata) && typeof metadata.name === 'string' ? metadata.name : '';
  return { document: { file, index, kind: kind as Kind, name, value, locate } };
}
