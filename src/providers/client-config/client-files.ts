/**
 * Client files opened through the host for one observe or one apply batch: each file is read and
 * parsed once, edited in memory by every change of the batch, and written back once, only if its
 * text changed. A file that cannot be parsed
 * is remembered as an error and never written. What a write replaces is kept in mcp-gitops's
 * state folder (backups.ts), never beside the file.
 */
import type { ClientAdapter, ClientDocument } from '../../clients/types.js';
import type { Host } from '../../hosts/types.js';
import type { Logger } from '../../log/logger.js';
import { writeWithBackup } from './backups.js';

interface OpenFile {
  adapter: ClientAdapter;
  original: string | undefined;
  doc?: ClientDocument;
  error?: Error;
}

export class ClientFiles {
  private readonly files = new Map<string, OpenFile>();

  constructor(
    private readonly host: Host,
    private readonly logger?: Logger,
  ) {}

  /** The parsed document at `path`; throws the parse error (the same one on every call). */
  async open(adapter: ClientAdapter, path: string): Promise<ClientDocument> {
    let file = this.files.get(path);
    if (!file) {
      const original = await this.host.readFile(path);
      file = { adapter, original };
      try {
        file.doc = adapter.parse(original, path);
      } catch (err) {
        file.error = err instanceof Error ? err : new Error(String(err));
      }
      this.files.set(path, file);
    }
    if (file.error) throw file.error;
    return file.doc!;
  }

  /**
   * Write every changed file once (mode per file), going on past a file that cannot be written:
   * what happened to each file that had to be written, the error when its write failed.
   */
  async saveEach(modeOf: (path: string) => number | undefined): Promise<{ path: string; error?: unknown }[]> {
    const outcomes: { path: string; error?: unknown }[] = [];
    for (const [path, file] of this.files) {
      const text = this.changedText(path, file);
      if (text === undefined) continue;
      try {
        await writeWithBackup(this.host, path, text, {
          previous: file.original,
          mode: modeOf(path),
          logger: this.logger,
        });
        outcomes.push({ path });
      } catch (error) {
        outcomes.push({ path, error });
      }
    }
    return outcomes;
  }

  /** The text to write at `path`, or undefined when the edits left it as it was. */
  private changedText(path: string, file: OpenFile): string | undefined {
    if (!file.doc) return undefined;
    const text = file.adapter.serialize(file.doc);
    if (
      text === file.original ||
      (file.original === undefined && text === file.adapter.serialize(file.adapter.parse(undefined, path)))
    ) {
      return undefined;
    }
    return text;
  }
}
