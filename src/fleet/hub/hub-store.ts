/**
 * The hub's state under `<serve --state-dir>/fleet/`: its Ed25519 key (`hub-key.pem`, made on first
 * use), one-time enrolment tokens (`tokens/`, see tokens.ts), revocation markers (`revoked/<id>`,
 * written by `fleet revoke` while serve runs, so they are looked up on every request) and the
 * machine records (`machines.json`). Check-ins change `machines.json` often: they are written at
 * most every `flushEveryMs` (2 s), enrolments and key rotations at once, and everything on stop.
 * Other parts of the hub keep their own JSON documents here too (`rollouts.json`: the rollout's
 * releases and wave states), through `readDocument` / `writeDocument`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MachineRecord } from '../rollout/types.js';
import { generateKeyPair, type KeyPair, publicKeyOf } from '../signing.js';
import { isMachineId } from './machine-id.js';
import { ensurePrivateDir, readJsonFile, writePrivateFile } from './state-files.js';

const MACHINES_SCHEMA = 'mcp-gitops/fleet-machines/v1';
export const DEFAULT_FLUSH_EVERY_MS = 2_000;
/** Names of other documents: never `machines` (the store's own), never a path. */
/** How often `all()` looks for new revocation markers. */
const REVOCATIONS_EVERY_MS = 1_000;
const DOCUMENT = /^(?!machines$)[a-z][a-z0-9-]{0,40}$/;

export interface HubPaths {
  dir: string;
  hubKey: string;
  tokens: string;
  revoked: string;
  machines: string;
}

export function hubPaths(dir: string): HubPaths {
  return {
    dir,
    hubKey: path.join(dir, 'hub-key.pem'),
    tokens: path.join(dir, 'tokens'),
    revoked: path.join(dir, 'revoked'),
    machines: path.join(dir, 'machines.json'),
  };
}

/** The machine records in `machines.json` (none when it does not exist yet). Read-only. */
export function readMachines(dir: string): MachineRecord[] {
  const data = readJsonFile(hubPaths(dir).machines) as
    | { schema?: string; machines?: MachineRecord[] }
    | undefined;
  if (data === undefined) return [];
  if (data.schema !== MACHINES_SCHEMA || !Array.isArray(data.machines))
    throw new Error(`${hubPaths(dir).machines} is not a fleet machines file`);
  return data.machines.filter((m) => isMachineId(m?.machineId));
}

/** Whether `fleet revoke` marked the machine revoked. */
export function isRevoked(dir: string, machineId: string): boolean {
  return isMachineId(machineId) && fs.existsSync(path.join(hubPaths(dir).revoked, machineId));
}

/** Mark a machine revoked (a file, so a running serve sees it on the machine's next request). */
export function markRevoked(dir: string, machineId: string, at: number): void {
  if (!isMachineId(machineId)) throw new Error('not a machine id');
  const paths = hubPaths(dir);
  ensurePrivateDir(dir);
  ensurePrivateDir(paths.revoked);
  writePrivateFile(path.join(paths.revoked, machineId), `${new Date(at).toISOString()}\n`);
}

/** The hub's signing key: read from `hub-key.pem`, or made and written (0600) on first use. */
export function loadOrCreateHubKey(dir: string): KeyPair {
  const file = hubPaths(dir).hubKey;
  try {
    const pem = fs.readFileSync(file, 'utf8');
    return { privateKeyPem: pem, publicKey: publicKeyOf(pem) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  ensurePrivateDir(dir);
  const made = generateKeyPair();
  // 'wx': of two processes making it at once, one key wins and both use it.
  try {
    fs.writeFileSync(file, made.privateKeyPem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateHubKey(dir);
    throw err;
  }
  return made;
}

export interface HubStoreOptions {
  /** `<state-dir>/fleet`. */
  dir: string;
  now?: () => number;
  flushEveryMs?: number;
  /** Told when a deferred write fails (the records stay in memory and the next write retries). */
  onFlushError?: (err: unknown) => void;
}

export class HubStore {
  readonly paths: HubPaths;
  readonly #machines = new Map<string, MachineRecord>();
  readonly #now: () => number;
  readonly #flushEveryMs: number;
  readonly #onFlushError: (err: unknown) => void;
  #hubKey: KeyPair | undefined;
  #timer: NodeJS.Timeout | undefined;
  #dirty = false;
  #lastFlush = 0;
  #revocationsReadAt = Number.NEGATIVE_INFINITY;

  constructor(options: HubStoreOptions) {
    this.paths = hubPaths(options.dir);
    this.#now = options.now ?? Date.now;
    this.#flushEveryMs = options.flushEveryMs ?? DEFAULT_FLUSH_EVERY_MS;
    this.#onFlushError = options.onFlushError ?? (() => {});
    ensurePrivateDir(this.paths.dir);
    ensurePrivateDir(this.paths.tokens);
    ensurePrivateDir(this.paths.revoked);
    for (const m of readMachines(this.paths.dir)) this.#machines.set(m.machineId, m);
  }

  /** The hub's signing key (made and written on first use). */
  hubKey(): KeyPair {
    this.#hubKey ??= loadOrCreateHubKey(this.paths.dir);
    return this.#hubKey;
  }

  get(machineId: string): MachineRecord | undefined {
    return this.#machines.get(machineId);
  }

  /**
   * Every machine record. Revocations `fleet revoke` made since the last look (at most once a
   * second) are recorded first (`revokedAt`), so waves, bundles and aggregates leave them out.
   */
  all(): MachineRecord[] {
    if (this.#now() - this.#revocationsReadAt >= REVOCATIONS_EVERY_MS) this.syncRevocations();
    return [...this.#machines.values()];
  }

  /** Whether the machine's revocation marker exists (looked up now: every request checks it). */
  isRevoked(machineId: string): boolean {
    return isRevoked(this.paths.dir, machineId);
  }

  /** Record `revokedAt` on every machine whose marker appeared (the marker's time). */
  syncRevocations(): void {
    this.#revocationsReadAt = this.#now();
    let ids: string[];
    try {
      ids = fs.readdirSync(this.paths.revoked);
    } catch {
      return;
    }
    for (const id of ids) {
      const record = this.#machines.get(id);
      if (!record || record.revokedAt !== undefined) continue;
      let at = Number.NaN;
      try {
        at = Date.parse(fs.readFileSync(path.join(this.paths.revoked, id), 'utf8').trim());
      } catch {
        // Unreadable marker: still revoked, as of now.
      }
      this.put({ ...record, revokedAt: Number.isFinite(at) ? at : this.#now() }, 'soon');
    }
  }

  /**
   * Store a (changed) record. `now`: written before returning (enrolment, a new key); `soon`: at
   * most `flushEveryMs` after the last write (check-ins).
   */
  put(record: MachineRecord, when: 'now' | 'soon'): void {
    this.#machines.set(record.machineId, record);
    this.#dirty = true;
    if (when === 'now') {
      this.flush();
      return;
    }
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastFlush + this.#flushEveryMs - this.#now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      try {
        this.flush();
      } catch (err) {
        this.#onFlushError(err);
      }
    }, wait);
    this.#timer.unref();
  }

  /** A JSON document the hub keeps beside the machines (`<name>.json`), or undefined before its first write. */
  readDocument(name: string): unknown {
    return readJsonFile(this.#documentPath(name));
  }

  /** Write a JSON document atomically (0600). */
  writeDocument(name: string, value: unknown): void {
    writePrivateFile(this.#documentPath(name), `${JSON.stringify(value)}\n`);
  }

  #documentPath(name: string): string {
    if (!DOCUMENT.test(name)) throw new Error(`not a hub document name: ${name}`);
    return path.join(this.paths.dir, `${name}.json`);
  }

  /** Write `machines.json` now if anything changed since the last write. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#dirty) return;
    const machines = this.all().sort((a, b) => (a.machineId < b.machineId ? -1 : 1));
    writePrivateFile(this.paths.machines, `${JSON.stringify({ schema: MACHINES_SCHEMA, machines })}\n`);
    this.#dirty = false;
    this.#lastFlush = this.#now();
  }

  /** Write what is pending; no deferred write is left behind. */
  stop(): void {
    this.flush();
  }
}
