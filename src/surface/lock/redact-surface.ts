/**
 * A surface with every resolved secret value taken out before it is written to a lock. A server is
 * started with our secrets in its environment; one that echoes a value into a description, a
 * schema or its instructions must not get that value committed to git. The text is redacted
 * (keys and values, at every depth) and the fingerprints recomputed, so the lock stays consistent
 * with itself; it then no longer matches the live surface, which is right: that server is
 * publishing a secret to every model that lists its tools.
 */
import { buildSurface } from '../fingerprint.js';
import type { ToolSurface } from '../types.js';

function walk(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, redact));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redact(k)] = walk(v, redact);
    return out;
  }
  return value;
}

export interface RedactedSurface {
  surface: ToolSurface;
  /** True when some text held a secret value (the lock will not match the live surface). */
  redacted: boolean;
}

export function redactSurface(surface: ToolSurface, redact: (text: string) => string): RedactedSurface {
  const tools = surface.tools.map(({ fingerprint: _, ...facts }) => walk(facts, redact) as { name: string });
  const rebuilt = buildSurface({
    tools,
    instructions: surface.instructions === undefined ? undefined : redact(surface.instructions),
    prompts: surface.prompts.map(redact),
    resourceTemplates: surface.resourceTemplates.map(redact),
  });
  return { surface: rebuilt, redacted: rebuilt.fingerprint !== surface.fingerprint };
}
