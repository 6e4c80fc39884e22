/**
 * The JSON Schemas shipped in the product's `schemas/` (the single source of truth for validation
 * and for editors), read once per process, with a hash that tells whether the precompiled
 * validators in `generated/` were built from exactly these files.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { KINDS, type Kind } from '../core/resources.js';

export type JsonSchema = Record<string, unknown>;

const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);

export function schemaFileName(kind: Kind): string {
  return `${kind.toLowerCase()}.schema.json`;
}

interface Sources {
  texts: Map<Kind, string>;
  parsed: Map<Kind, JsonSchema>;
  sha256: string;
}

let sources: Sources | undefined;

function load(): Sources {
  if (!sources) {
    const texts = new Map<Kind, string>();
    const hash = createHash('sha256');
    for (const kind of KINDS) {
      const text = readFileSync(new URL(schemaFileName(kind), SCHEMA_DIR), 'utf8');
      texts.set(kind, text);
      hash.update(`${kind}\0${text}\0`);
    }
    sources = { texts, parsed: new Map(), sha256: hash.digest('hex') };
  }
  return sources;
}

export function schemaFor(kind: Kind): JsonSchema {
  const s = load();
  let schema = s.parsed.get(kind);
  if (!schema) {
    schema = JSON.parse(s.texts.get(kind) ?? '{}') as JsonSchema;
    s.parsed.set(kind, schema);
  }
  return schema;
}

/** sha256 over every kind's schema text, in KINDS order. */
export function schemasSha256(): string {
  return load().sha256;
}
