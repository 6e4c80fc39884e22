/**
 * How a server's current tool surface differs from the approved one (its lock, or the one its last
 * report recorded): tools added, removed or changed (a rename is a removal plus an addition, since
 * the model sees a different tool), per changed tool the fields and JSON paths that differ, and
 * the annotation changes that move a tool toward more risk, called out as escalations. Pure data
 * in, data out; bounded on hostile schemas (diff-json.ts). Rendering lives in render-diff-*.ts.
 */
import { diffJson } from './diff-json.js';
import type {
  Escalation,
  SurfaceDiff,
  SurfaceTool,
  ToolChange,
  ToolFacts,
  ToolFieldChange,
  ToolSurface,
} from './types.js';

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * MCP's defaults for the risk hints when a server leaves them unset (spec, ToolAnnotations):
 * not read-only, destructive, not idempotent, open world.
 */
const HINT_DEFAULTS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
} as const;
type Hint = keyof typeof HINT_DEFAULTS;

function shown(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (Array.isArray(value)) return '[...]';
  if (value !== null && typeof value === 'object') return '{...}';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function hint(annotations: Record<string, unknown> | undefined, name: Hint): unknown {
  return annotations !== undefined && Object.hasOwn(annotations, name) ? annotations[name] : undefined;
}

/**
 * A hint moves toward more risk when the safe claim is withdrawn (`readOnlyHint` or
 * `idempotentHint` was true and no longer is) or the risky claim appears (`destructiveHint` or
 * `openWorldHint` becomes true, set or by default, from anything but true).
 */
function escalates(name: Hint, before: unknown, after: unknown): boolean {
  if (before === after) return false;
  if (name === 'readOnlyHint' || name === 'idempotentHint') return before === true;
  if (before === true) return false;
  if (after === true) return true;
  return after === undefined && before === false;
}

export function annotationEscalations(
  tool: string,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): Escalation[] {
  const out: Escalation[] = [];
  for (const name of Object.keys(HINT_DEFAULTS) as Hint[]) {
    const b = hint(before, name);
    const a = hint(after, name);
    if (escalates(name, b, a)) out.push({ tool, change: `${name}: ${shown(b)} → ${shown(a)}` });
  }
  return out;
}

/** A tool that appears for the first time is risky when it says it destroys or does not say it only reads. */
export function addedToolEscalations(tool: ToolFacts): Escalation[] {
  const out: Escalation[] = [];
  if (hint(tool.annotations, 'destructiveHint') === true)
    out.push({ tool: tool.name, change: 'new tool with destructiveHint: true' });
  if (hint(tool.annotations, 'readOnlyHint') !== true)
    out.push({ tool: tool.name, change: 'new tool without readOnlyHint: true' });
  return out;
}

function textChange(field: 'title' | 'description', before?: string, after?: string): ToolFieldChange[] {
  if (before === after) return [];
  return [{ field, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }];
}

function jsonChange(
  field: 'inputSchema' | 'outputSchema' | 'annotations',
  before: unknown,
  after: unknown,
): ToolFieldChange[] {
  const { changes, truncated } = diffJson(before, after);
  if (changes.length === 0) return [];
  return [
    {
      field,
      paths: changes.map((c) => c.path),
      ...(truncated ? { pathsTruncated: true } : {}),
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    },
  ];
}

/** The fields of one tool that differ, in a fixed order. */
export function diffTool(before: ToolFacts, after: ToolFacts): ToolFieldChange[] {
  return [
    ...textChange('title', before.title, after.title),
    ...textChange('description', before.description, after.description),
    ...jsonChange('inputSchema', before.inputSchema, after.inputSchema),
    ...jsonChange('outputSchema', before.outputSchema, after.outputSchema),
    ...jsonChange('annotations', before.annotations, after.annotations),
  ];
}

function factsOf(tool: SurfaceTool): ToolFacts {
  const { fingerprint: _fingerprint, ...facts } = tool;
  return facts;
}

function namesDiff(
  before: readonly string[],
  after: readonly string[],
): { added: string[]; removed: string[] } | undefined {
  const b = new Set(before);
  const a = new Set(after);
  const added = [...a].filter((n) => !b.has(n)).sort(byString);
  const removed = [...b].filter((n) => !a.has(n)).sort(byString);
  return added.length === 0 && removed.length === 0 ? undefined : { added, removed };
}

function byTool(a: ToolChange, b: ToolChange): number {
  return byString(a.tool, b.tool) || byString(a.kind, b.kind);
}

/** How `current` differs from `locked`. An empty `tools` list and no other field means the same surface. */
export function diffSurface(locked: ToolSurface, current: ToolSurface): SurfaceDiff {
  const before = new Map(locked.tools.map((t) => [t.name, t]));
  const after = new Map(current.tools.map((t) => [t.name, t]));
  const tools: ToolChange[] = [];
  const escalations: Escalation[] = [];
  for (const [name, old] of before) {
    const now = after.get(name);
    if (now === undefined) {
      tools.push({ tool: name, kind: 'removed' });
      continue;
    }
    // Fingerprints cover every field compared below; equal prints skip the walk.
    if (old.fingerprint === now.fingerprint && old.fingerprint !== '') continue;
    const fields = diffTool(factsOf(old), factsOf(now));
    if (fields.length === 0) continue;
    tools.push({ tool: name, kind: 'changed', fields });
    escalations.push(...annotationEscalations(name, old.annotations, now.annotations));
  }
  for (const [name, now] of after) {
    if (before.has(name)) continue;
    const added = factsOf(now);
    tools.push({ tool: name, kind: 'added', added });
    escalations.push(...addedToolEscalations(added));
  }
  tools.sort(byTool);
  escalations.sort((a, b) => byString(a.tool, b.tool));
  const diff: SurfaceDiff = { tools, escalations };
  if (locked.instructions !== current.instructions)
    diff.instructions = {
      ...(locked.instructions === undefined ? {} : { before: locked.instructions }),
      ...(current.instructions === undefined ? {} : { after: current.instructions }),
    };
  const prompts = namesDiff(locked.prompts, current.prompts);
  if (prompts !== undefined) diff.prompts = prompts;
  const templates = namesDiff(locked.resourceTemplates, current.resourceTemplates);
  if (templates !== undefined) diff.resourceTemplates = templates;
  return diff;
}

/** True when the diff found nothing. */
export function isEmptyDiff(diff: SurfaceDiff): boolean {
  return (
    diff.tools.length === 0 &&
    diff.instructions === undefined &&
    diff.prompts === undefined &&
    diff.resourceTemplates === undefined
  );
}
