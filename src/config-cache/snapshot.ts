/**
 * A validation result as data that survives a process: `{ config, diagnostics }` without the
 * closures. What it keeps is all the loader and validation produced: every YAML file's text (the
 * secret scan and the uncommitted-config check read them), each document's file, index, kind, name
 * and value (as validation left it), and every diagnostic. Locators (`doc.locate`) are rebuilt from
 * the texts as buildConfigSet makes them: one FileLocator per file, one PositionCache per config,
 * computing positions lazily again, so a warning located later points where it did before.
 *
 * v8 serialization keeps what JSON would not (NaN, -0, own `__proto__` keys, object identity).
 */
import { deserialize, serialize } from 'node:v8';
import { assembleConfigSet, type LoadResult } from '../config/load-config.js';
import { FileLocator, PositionCache } from '../config/locate-node.js';
import type { LoadedDocument, SourceFile } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';

interface StoredDocument {
  file: string;
  index: number;
  kind: string;
  name: string;
  value: unknown;
}

interface Snapshot {
  files: SourceFile[];
  documents: StoredDocument[];
  diagnostics: Diagnostic[];
  /** What the caller derived from the result (validate-revision.ts), serialized with it. */
  derived: unknown;
}

/**
 * The result and what was derived from it, as bytes, in one serialization (so `derived` may share
 * objects with the documents, and shares them again once restored); throws if either holds
 * something v8 cannot serialize (then it is not cached).
 */
export function takeSnapshot(result: LoadResult, derived: unknown): Buffer {
  const snapshot: Snapshot = {
    derived,
    files: result.config.files,
    documents: result.config.documents.map(({ file, index, kind, name, value }) => ({
      file,
      index,
      kind,
      name,
      value,
    })),
    diagnostics: result.diagnostics,
  };
  return serialize(snapshot);
}

function isSnapshot(value: unknown): value is Snapshot {
  if (value === null || typeof value !== 'object') return false;
  const s = value as Partial<Snapshot>;
  return (
    Array.isArray(s.files) &&
    Array.isArray(s.documents) &&
    Array.isArray(s.diagnostics) &&
    'derived' in s &&
    s.files.every((f) => typeof f?.path === 'string' && typeof f.text === 'string') &&
    s.documents.every(
      (d) =>
        typeof d?.file === 'string' &&
        Number.isInteger(d.index) &&
        typeof d.kind === 'string' &&
        typeof d.name === 'string',
    )
  );
}

/** The result (and what was derived) again, read at `revision` under `root`; undefined if the payload is not a snapshot. */
export function restoreSnapshot(
  payload: Buffer,
  root: string,
  revision: string,
): { result: LoadResult; derived: unknown } | undefined {
  let value: unknown;
  try {
    value = deserialize(payload);
  } catch {
    return undefined;
  }
  if (!isSnapshot(value)) return undefined;
  const positions = new PositionCache();
  const texts = new Map(value.files.map((f) => [f.path, f.text]));
  const locators = new Map<string, FileLocator>();
  const documents: LoadedDocument[] = [];
  for (const { file, index, kind, name, value: docValue } of value.documents) {
    let locator = locators.get(file);
    if (!locator) {
      const text = texts.get(file);
      if (text === undefined) return undefined;
      locator = new FileLocator(file, text, positions);
      locators.set(file, locator);
    }
    documents.push({ file, index, kind, name, value: docValue, locate: locator.forDocument(index) });
  }
  const config = assembleConfigSet(root, 'revision', revision, value.files, documents);
  return { result: { config, diagnostics: value.diagnostics }, derived: value.derived };
}
