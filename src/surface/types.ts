/**
 * What an MCP server offers an AI model — its tool surface — as data: each tool with its own
 * fingerprint, the server's instructions, and the names of its prompts and resource templates.
 * A description or a schema is text the model obeys; a server can change it without a version bump.
 * Verification captures a surface; a ToolLock in the config repo records the approved one; drift,
 * plans and policies compare and judge the two. Everything here is plain data, sorted and stable.
 */

/** One tool as `tools/list` gives it, restricted to the fields that reach the model. */
export interface ToolFacts {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  /** `readOnlyHint`, `destructiveHint`, `idempotentHint`, `openWorldHint`, `title`, others kept as given. */
  annotations?: Record<string, unknown>;
}

export interface SurfaceTool extends ToolFacts {
  /** `sha256:` + hex over the canonical JSON of the ToolFacts (see fingerprint.ts). */
  fingerprint: string;
}

export interface ToolSurface {
  /** `sha256:` + hex over the canonical JSON of everything below (see fingerprint.ts). */
  fingerprint: string;
  /** Sorted by name; names are unique (a server listing a name twice keeps the first). */
  tools: SurfaceTool[];
  /** The server's `instructions`, as given, when it gave any. */
  instructions?: string;
  /** Prompt names, sorted; empty when the server has no prompts capability. */
  prompts: string[];
  /** Resource template URIs (`uriTemplate`), sorted; empty when it has none. */
  resourceTemplates: string[];
}

/** Who answered, and on which protocol revision (recorded in the report beside the surface). */
export interface ServerIdentity {
  /** The negotiated protocol revision, e.g. `2025-11-25` or `2026-07-28`. */
  protocolVersion?: string;
  /** `server/discover` (2026-07-28 and later) or `initialize` (earlier revisions). */
  handshake?: 'discover' | 'initialize';
  serverInfo?: { name: string; version?: string; title?: string };
  /** Capability names the server declared (`tools`, `prompts`, `resources`, `logging`, ...), sorted. */
  capabilities?: string[];
}

/** How a surface that differs from the lock is treated (`health.tools`). */
export type ToolsMode = 'pin' | 'warn' | 'ignore';

/** A tool annotation moving toward more risk, called out in diffs and judged by policies. */
export interface Escalation {
  tool: string;
  /** e.g. `readOnlyHint: true → false`, `destructiveHint: (unset) → true`, `openWorldHint: false → true`. */
  change: string;
}

/** One field of one tool that changed; `before`/`after` are absent for an added/removed field. */
export interface ToolFieldChange {
  field: 'title' | 'description' | 'inputSchema' | 'outputSchema' | 'annotations';
  /** For schemas and annotations: the JSON paths that differ (`properties.path.type`). */
  paths?: string[];
  /** True when more paths differ than `paths` lists (a diff is bounded; see diff-json.ts). */
  pathsTruncated?: boolean;
  before?: unknown;
  after?: unknown;
}

export interface ToolChange {
  tool: string;
  kind: 'added' | 'removed' | 'changed';
  /** For `changed`: what differs. For `added`: the new tool's facts. */
  fields?: ToolFieldChange[];
  added?: ToolFacts;
}

/** How a current surface differs from an approved one (empty `tools` and no other field: same). */
export interface SurfaceDiff {
  tools: ToolChange[];
  escalations: Escalation[];
  instructions?: { before?: string; after?: string };
  prompts?: { added: string[]; removed: string[] };
  resourceTemplates?: { added: string[]; removed: string[] };
}

/**
 * `ToolsChanged` drift: a server whose spec did not change lists a surface that differs from the
 * approved one — its lock, or (with no lock) the fingerprints its last report recorded. Reported
 * in drift, plans and reports; never a reason to apply anything (`health.tools` decides the rest).
 */
export interface ToolsDrift {
  reason: 'ToolsChanged';
  /** What the surface was compared with: the lock file (`tool-locks/<server>/<version>.yaml`), or `report`. */
  against: string;
  diff: SurfaceDiff;
}
