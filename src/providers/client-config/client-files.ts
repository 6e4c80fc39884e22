/**
 * Client files opened through the host for one observe or apply: each file is read and parsed
 * once, edited in memory, and only written back if its text changed. A file that cannot be parsed
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

  /** Write every changed file atomically, keeping a backup of what it replaced in the state folder. */
  async save(mode?: number): Promise<string[]> {
    const written: string[] = [];
    for (const [path, file] of this.files) {
      if (!file.doc) continue;
      const text = file.adapter.serialize(file.doc);
      if (
        text === file.original ||
        (file.original === undefined && text === file.adapter.serialize(file.adapter.parse(undefined, path)))
      ) {
        continue;
      }
      await writeWithBackup(this.host, path, text, { previous: file.original, mode, logger: this.logger });
      written.push(path);
    }
    return written;
  }
}
