/**
 * Reads git objects straight from a repository's object folders — loose objects and packs, with
 * deltas — through Node's own zlib. Every read is bounded: an object's size is read from its
 * header (a loose object's first bytes, a pack entry's header, a delta's own header) and checked
 * against the caller's limit before anything is inflated, and inflating never produces more than
 * the declared size. So a tiny, highly compressible blob that would inflate to gigabytes is
 * refused for the size it declares, at the cost of a few hundred bytes of work. A small loose
 * object (at most 64 KiB on disk: every file and tree of a config repo) is inflated once with its
 * output capped at the caller's limit instead, its header checked after: one open and one inflate
 * per object instead of two, the same refusal, at most the limit's worth of work.
 *
 * A config read is thousands of small objects, so reads leave little behind: a loose object's
 * compressed bytes go into one reused buffer, outputs are sized to the object (not zlib's 16 KiB
 * default chunk, of which the object kept a slice), and only delta bases are cached (a blob read
 * once is not kept until the store closes).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyDelta, deltaSizes } from './apply-delta.js';
import { looseHeader, readLoose } from './loose-object.js';
import { type EntryHeader, OFS_DELTA, PackFile } from './pack-file.js';
import {
  type GitObject,
  MissingObjectError,
  type ObjectInfo,
  ObjectTooLargeError,
  type ObjectType,
  TYPE_BY_CODE,
} from './types.js';

/** Bases of deltas are inflated whole: never one larger than this, whatever the caller allows. */
const BASE_LIMIT = 64 * 1024 * 1024;
const MAX_CHAIN = 100;
const CACHE_BYTES = 32 * 1024 * 1024;
const OID = /^[0-9a-f]{40}$/;

type Location = { kind: 'loose'; file: string } | { kind: 'packed'; pack: PackFile; offset: number };

export class ObjectStore {
  private readonly packs: PackFile[] = [];
  private readonly packIds = new Map<PackFile, number>();
  /** Delta bases by pack and offset (`cacheKey`), oldest first. */
  private readonly cache = new Map<number, GitObject>();
  private cached = 0;

  private constructor(private readonly objectDirs: string[]) {
    for (const dir of objectDirs) {
      const packDir = path.join(dir, 'pack');
      let names: string[] = [];
      try {
        names = fs.readdirSync(packDir);
      } catch {
        continue;
      }
      for (const name of names.filter((n) => n.endsWith('.idx')).sort()) {
        const pack = path.join(packDir, `${name.slice(0, -4)}.pack`);
        if (fs.existsSync(pack)) this.packs.push(new PackFile(pack, path.join(packDir, name)));
      }
    }
    for (const [id, pack] of this.packs.entries()) this.packIds.set(pack, id);
  }

  /** The object store of a work tree (`.git` folder or `gitdir:` file) or of a bare repository. */
  static open(repoDir: string): ObjectStore {
    const gitDir = findGitDir(repoDir);
    let common = gitDir;
    try {
      common = path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
    } catch {
      // not a linked work tree
    }
    return new ObjectStore(objectDirsOf(path.join(common, 'objects')));
  }

  /** Type and size, without inflating the object. */
  info(oid: string): ObjectInfo {
    const at = this.locate(oid);
    if (at.kind === 'loose') return looseHeader(at.file).info;
    return this.packedInfo(at.pack, at.pack.header(at.offset), 0);
  }

  /** The object, refused with `ObjectTooLargeError` (before inflating it) when over `maxBytes`. */
  read(oid: string, maxBytes: number): GitObject {
    const at = this.locate(oid);
    if (at.kind === 'loose') return readLoose(at.file, oid, maxBytes);
    const header = at.pack.header(at.offset);
    const info = this.packedInfo(at.pack, header, 0);
    if (info.size > maxBytes) throw new ObjectTooLargeError(oid, info.size, maxBytes);
    return this.resolve(at.pack, at.offset, header, 0);
  }

  close(): void {
    for (const p of this.packs) p.close();
    this.cache.clear();
    this.cached = 0;
  }

  private locate(oid: string): Location {
    if (!OID.test(oid)) throw new MissingObjectError(oid);
    for (const dir of this.objectDirs) {
      const file = path.join(dir, oid.slice(0, 2), oid.slice(2));
      if (fs.existsSync(file)) return { kind: 'loose', file };
    }
    const id = Buffer.from(oid, 'hex');
    for (const pack of this.packs) {
      const offset = pack.index.find(id);
      if (offset !== undefined) return { kind: 'packed', pack, offset };
    }
    throw new MissingObjectError(oid);
  }

  private packedInfo(pack: PackFile, header: EntryHeader, depth: number): ObjectInfo {
    const type = TYPE_BY_CODE[header.code];
    if (type) return { type, size: header.size };
    if (depth > MAX_CHAIN) throw new Error(`${pack.packPath}: delta chain longer than ${MAX_CHAIN}`);
    const [, size] = deltaSizes(pack.inflateStart(header));
    return { type: this.baseType(pack, header, depth + 1), size };
  }

  private baseType(pack: PackFile, header: EntryHeader, depth: number): ObjectType {
    const base = this.baseOf(pack, header);
    if (base.kind === 'loose') return looseHeader(base.file).info.type;
    const baseHeader = base.pack.header(base.offset);
    const type = TYPE_BY_CODE[baseHeader.code];
    if (type) return type;
    if (depth > MAX_CHAIN) throw new Error(`${pack.packPath}: delta chain longer than ${MAX_CHAIN}`);
    return this.baseType(base.pack, baseHeader, depth + 1);
  }

  /** A delta's base: an earlier entry of the same pack, or any object by id (a thin pack's base). */
  private baseOf(pack: PackFile, header: EntryHeader): Location {
    if (header.code === OFS_DELTA) return { kind: 'packed', pack, offset: header.baseOffset! };
    return this.locate(header.baseOid!.toString('hex'));
  }

  /** A number unique to the entry (offsets stay far below 2^53 / the number of packs). */
  private cacheKey(pack: PackFile, offset: number): number {
    return offset * this.packs.length + this.packIds.get(pack)!;
  }

  /** The object at `offset`; `depth` > 0 when it is the base of a delta (those are cached). */
  private resolve(pack: PackFile, offset: number, header: EntryHeader, depth: number): GitObject {
    const key = this.cacheKey(pack, offset);
    const hit = this.cache.get(key);
    if (hit) return hit;
    let object: GitObject;
    const type = TYPE_BY_CODE[header.code];
    if (type) {
      if (header.size > BASE_LIMIT) throw new ObjectTooLargeError(`at ${offset}`, header.size, BASE_LIMIT);
      object = { type, data: pack.inflate(header) };
    } else {
      if (depth > MAX_CHAIN) throw new Error(`${pack.packPath}: delta chain longer than ${MAX_CHAIN}`);
      const [baseSize, size] = deltaSizes(pack.inflateStart(header));
      if (size > BASE_LIMIT || baseSize > BASE_LIMIT || header.size > 2 * size + 1024)
        throw new ObjectTooLargeError(`at ${offset}`, Math.max(size, baseSize), BASE_LIMIT);
      const at = this.baseOf(pack, header);
      const base =
        at.kind === 'loose'
          ? this.read(header.baseOid!.toString('hex'), BASE_LIMIT)
          : this.resolve(at.pack, at.offset, at.pack.header(at.offset), depth + 1);
      object = { type: base.type, data: applyDelta(base.data, pack.inflate(header)) };
    }
    if (depth > 0) this.remember(key, object);
    return object;
  }

  private remember(key: number, object: GitObject): void {
    if (object.data.length > CACHE_BYTES / 4) return;
    this.cache.set(key, object);
    this.cached += object.data.length;
    for (const [k, v] of this.cache) {
      if (this.cached <= CACHE_BYTES) break;
      this.cache.delete(k);
      this.cached -= v.data.length;
    }
  }
}

function findGitDir(repoDir: string): string {
  const dotGit = path.join(repoDir, '.git');
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dotGit);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) return dotGit;
  if (stat?.isFile()) {
    const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'));
    if (m) return path.resolve(repoDir, m[1]!.trim());
  }
  if (fs.existsSync(path.join(repoDir, 'objects')) && fs.existsSync(path.join(repoDir, 'HEAD')))
    return repoDir;
  throw new Error(`${repoDir} is not a git repository`);
}

/** The object folder and the ones its `info/alternates` name (recursively, bounded). */
function objectDirsOf(objects: string, depth = 0): string[] {
  const dirs = [objects];
  if (depth > 4) return dirs;
  let alternates: string[] = [];
  try {
    alternates = fs.readFileSync(path.join(objects, 'info', 'alternates'), 'utf8').split('\n');
  } catch {
    return dirs;
  }
  for (const line of alternates.map((l) => l.trim()).filter((l) => l && !l.startsWith('#')))
    dirs.push(...objectDirsOf(path.resolve(objects, line), depth + 1));
  return dirs;
}
