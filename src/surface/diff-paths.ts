/**
 * A surface diff as report drift paths (`tools.<name>.<field>`, `tools.<name>` for a tool added,
 * removed, or changed in fields unknown, `instructions`, `prompts`, `resourceTemplates`): what a
 * committed report keeps of `ToolsChanged`. Names only, never text: tool names are printed as
 * `safeName` makes them (plain identifiers as they are, anything else as a short JSON string).
 */
import { safeName } from './tools-mode.js';
import type { SurfaceDiff } from './types.js';

export function surfaceDriftPaths(diff: SurfaceDiff): string[] {
  const paths: string[] = [];
  for (const change of diff.tools) {
    const at = `tools.${safeName(change.tool)}`;
    if (change.kind === 'changed' && change.fields && change.fields.length > 0)
      for (const field of change.fields) paths.push(`${at}.${field.field}`);
    else paths.push(at);
  }
  if (diff.instructions) paths.push('instructions');
  if (diff.prompts) paths.push('prompts');
  if (diff.resourceTemplates) paths.push('resourceTemplates');
  return paths;
}
