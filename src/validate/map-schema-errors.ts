/**
 * ajv errors → diagnostics at the FILE:LINE:COL of the offending node, in words people act on:
 * `spec.transport: must be one of stdio, streamable-http, sse (got "http")`,
 * `spec: unknown field "transprt" (did you mean "transport"?)` at the field's key.
 */
import type { ErrorObject } from 'ajv';
import { didYouMean } from '../config/suggest-name.js';
import type { LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { describeRejected, describeType, describeValue, formatPath, listWords } from './describe-value.js';
import { declaredProperties } from './schema-properties.js';
import type { JsonSchema } from './schema-sources.js';

type Segment = string | number;

function toPath(instancePath: string, root: unknown): Segment[] {
  const path: Segment[] = [];
  let node = root;
  for (const raw of instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const seg: Segment = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key;
    path.push(seg);
    node =
      typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[String(seg)] : undefined;
  }
  return path;
}

function prefixed(path: Segment[], text: string): string {
  const p = formatPath(path);
  return p === '' ? text : `${p}: ${text}`;
}

function oneOfMessage(e: ErrorObject, custom: string): string {
  const branches = (e.parentSchema?.oneOf ?? []) as JsonSchema[];
  const keys = branches.map((b) =>
    Array.isArray(b.required) && b.required.length === 1 ? String(b.required[0]) : '',
  );
  if (keys.some((k) => k === '') || typeof e.data !== 'object' || e.data === null) return custom;
  const present = keys.filter((k) => k in (e.data as object));
  return present.length === 0 ? `${custom} (none is set)` : `${custom} (found ${listWords(present)})`;
}

interface Mapped {
  path: Segment[];
  which: 'key' | 'value';
  message: string;
}

function mapOne(e: ErrorObject, doc: LoadedDocument, root: JsonSchema): Mapped | undefined {
  const path = toPath(e.instancePath, doc.value);
  const custom = typeof e.parentSchema?.errorMessage === 'string' ? e.parentSchema.errorMessage : undefined;
  const got = ` (got ${describeRejected(path, e.data)})`;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const field = String(params.missingProperty);
      const why = custom ? `: ${custom}` : '';
      return { path, which: 'key', message: prefixed(path, `missing required field "${field}"${why}`) };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const field = String(params.additionalProperty ?? params.unevaluatedProperty);
      const known = e.parentSchema ? declaredProperties(e.parentSchema as JsonSchema, root) : [];
      const hint =
        didYouMean(field, known) || (known.length > 0 ? `; known fields: ${known.join(', ')}` : '');
      return {
        path: [...path, field],
        which: 'key',
        message: prefixed(path, `unknown field "${field}"${hint}`),
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String).join(', ');
      return {
        path,
        which: 'value',
        message: prefixed(path, `${custom ?? `must be one of ${allowed}`}${got}`),
      };
    }
    case 'const':
      return {
        path,
        which: 'value',
        message: prefixed(path, `${custom ?? `must be ${JSON.stringify(params.allowedValue)}`}${got}`),
      };
    case 'type':
      return {
        path,
        which: 'value',
        message: prefixed(path, `${custom ?? `must be ${describeType(params.type)}`}${got}`),
      };
    case 'pattern': {
      const rule = custom ?? `must match the pattern ${String(params.pattern)}`;
      if (e.propertyName !== undefined) {
        return {
          path: [...path, e.propertyName],
          which: 'key',
          message: prefixed(path, `key "${e.propertyName}" ${rule}`),
        };
      }
      return { path, which: 'value', message: prefixed(path, `${rule}${got}`) };
    }
    case 'minimum':
    case 'maximum': {
      const { minimum, maximum } = (e.parentSchema ?? {}) as { minimum?: number; maximum?: number };
      const range =
        minimum !== undefined && maximum !== undefined
          ? `must be between ${minimum} and ${maximum}`
          : e.keyword === 'minimum'
            ? `must be at least ${minimum}`
            : `must be at most ${maximum}`;
      return { path, which: 'value', message: prefixed(path, `${range}${got}`) };
    }
    case 'minLength':
      return {
        path,
        which: 'value',
        message: prefixed(
          path,
          params.limit === 1 ? 'must not be empty' : `must be at least ${params.limit} characters`,
        ),
      };
    case 'maxLength':
      return { path, which: 'value', message: prefixed(path, `must be at most ${params.limit} characters`) };
    case 'minItems':
      return { path, which: 'value', message: prefixed(path, `must list at least ${params.limit} item(s)`) };
    case 'uniqueItems': {
      const item = Array.isArray(e.data) ? e.data[Number(params.i)] : undefined;
      return {
        path: [...path, Number(params.i)],
        which: 'value',
        message: prefixed(path, `must not repeat items (${describeValue(item)} appears twice)`),
      };
    }
    case 'oneOf':
      return {
        path,
        which: 'key',
        message: prefixed(
          path,
          custom ? oneOfMessage(e, custom) : 'must match exactly one of the allowed forms',
        ),
      };
    default:
      return { path, which: 'value', message: prefixed(path, e.message ?? `fails ${e.keyword}`) };
  }
}

export function mapSchemaErrors(
  doc: LoadedDocument,
  errors: readonly ErrorObject[],
  root: JsonSchema,
): Diagnostic[] {
  // A oneOf with its own message stands for the failures of its branches.
  const explained = errors.filter(
    (e) => e.keyword === 'oneOf' && typeof e.parentSchema?.errorMessage === 'string',
  );
  const covered = (e: ErrorObject) =>
    explained.some(
      (o) => o !== e && o.instancePath === e.instancePath && e.schemaPath.startsWith(`${o.schemaPath}/`),
    );
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'propertyNames' || covered(e)) continue;
    const mapped = mapOne(e, doc, root);
    if (!mapped) continue;
    const loc = doc.locate(mapped.path, mapped.which);
    const key = `${loc.line}:${loc.col}:${mapped.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...loc, severity: 'error', message: mapped.message, rule: 'schema' });
  }
  return out;
}
