/**
 * Many server edits to one TOML client file (Codex, Mistral Vibe) checked once (issue 16). Each
 * edit is a text edit checked by parsing the whole result back (toml-document.ts); one at a time
 * that is two parses and a whole-data comparison per server, quadratic in the servers of a file.
 * A TomlDocument queues its edits and applies them when its text is next read: the text edits are
 * chained, each on the data the previous one gave, and the result is parsed and compared once.
 *
 * The bytes are those of checking after every edit: a batch holds each server once, and an edit
 * of one server changes only that server's own tables (and drops empty `[mcp_servers]` headers),
 * so data an edit got wrong stays wrong through the other servers' edits and the one check sees
 * it. When the check fails, the batch is done again one checked edit at a time, exactly as before.
 */
import { type Normalize, parsesTo, tomlData, verifiedToml } from './toml-document.js';
import type { ClientDocument } from './types.js';

type Data = Record<string, unknown>;

export interface TomlEdit {
  /** The server the edit is about: a batch holds each server once. */
  server: string;
  /**
   * The edited text, from the current text and its data (changed in place to the data the edited
   * text must parse to), or undefined when there is nothing to change.
   */
  apply(text: string, data: Data): string | undefined;
}

/** A TOML client file whose edits wait until its text is read (see the top of this file). */
export class TomlDocument implements ClientDocument {
  #text: string;
  #queued: TomlEdit[] = [];

  constructor(
    public file: string,
    text: string,
    /** What the data of the file is compared as (Codex drops an empty `mcp_servers`). */
    readonly normalize: Normalize = (data) => data,
  ) {
    this.#text = text;
  }

  get text(): string {
    if (this.#queued.length > 0) {
      const edits = this.#queued;
      this.#queued = [];
      applyBatch(this, edits);
    }
    return this.#text;
  }

  set text(value: string) {
    this.#queued = [];
    this.#text = value;
  }

  queue(edit: TomlEdit): void {
    this.#queued.push(edit);
  }
}

/** Apply `edit` to the document: queued on a TomlDocument (checked with its own normalize), else at once. */
export function editToml(doc: ClientDocument, edit: TomlEdit, normalize: Normalize = (data) => data): void {
  if (doc instanceof TomlDocument) doc.queue(edit);
  else applyOne(doc, edit, normalize);
}

/** One edit checked on its own: the text edit when it parses to the data, else the data serialized. */
function applyOne(doc: ClientDocument, edit: TomlEdit, normalize: Normalize): void {
  const data = tomlData(doc);
  const candidate = edit.apply(doc.text, data);
  if (candidate !== undefined) doc.text = verifiedToml(candidate, normalize(data), normalize);
}

function applyBatch(doc: TomlDocument, edits: readonly TomlEdit[]): void {
  let next = 0;
  while (next < edits.length) {
    const start = next;
    const original = doc.text;
    const data = tomlData(doc);
    const servers = new Set<string>();
    let candidate: string | undefined;
    for (; next < edits.length && !servers.has(edits[next]!.server); next++) {
      servers.add(edits[next]!.server);
      candidate = edits[next]!.apply(candidate ?? original, data) ?? candidate;
    }
    if (candidate === undefined) continue;
    if (parsesTo(candidate, doc.normalize(data), doc.normalize)) {
      doc.text = candidate;
      continue;
    }
    doc.text = original;
    for (const edit of edits.slice(start, next)) applyOne(doc, edit, doc.normalize);
  }
}
