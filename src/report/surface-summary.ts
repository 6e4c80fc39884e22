/**
 * What a report keeps of a verified tool surface: the surface's and each tool's fingerprint, prompt
 * names and resource template URIs, and a fingerprint of the instructions. Descriptions, schemas
 * and the instructions' text stay out: they are text from the target, and a committed report must
 * not carry it (a lock, reviewed on purpose, is where a surface's text lives).
 */
import { createHash } from 'node:crypto';
import type { InventorySurface } from '../core/report.js';
import type { ToolSurface } from '../surface/types.js';

export function summarizeSurface(surface: ToolSurface): InventorySurface {
  return {
    fingerprint: surface.fingerprint,
    tools: surface.tools.map((t) => ({ name: t.name, fingerprint: t.fingerprint })),
    prompts: [...surface.prompts],
    resourceTemplates: [...surface.resourceTemplates],
    ...(surface.instructions === undefined
      ? {}
      : {
          instructionsFingerprint: `sha256:${createHash('sha256').update(surface.instructions).digest('hex')}`,
        }),
  };
}
