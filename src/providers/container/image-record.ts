/**
 * What the container provider remembers about images on an engine, per target: which image
 * references it pulled itself (only those may ever be removed: an image the user pulled or built
 * is theirs), and which distinct images each server ran there, newest first (what a rollback
 * needs). It lives on the engine next to what it describes, as the labels of a small empty
 * volume per target (`mcp-gitops_<environment>_<target>.images.<seq>`): every reconciler that
 * reaches that engine (a laptop, CI, `serve`) reads the same record, and `podman volume ls` /
 * `docker volume ls` shows it. Labels cannot change, so an update writes a new volume and removes
 * the older ones; two left by an interrupted update are merged when read.
 */
import { LABELS, ownerLabels } from './container-labels.js';
import type { EngineClient } from './engine-client.js';

export interface ImageRecord {
  /** Image references mcp-gitops pulled on this engine for the target and has not removed. */
  pulled: string[];
  /** Per server: the distinct image references it ran on the target, newest first. */
  ran: Record<string, string[]>;
}

/** Images remembered per server (more than any `keep` asks for). */
const HISTORY_LIMIT = 10;
const RECORD_LABEL = 'io.mcp-gitops.record';
const DATA_LABEL = 'io.mcp-gitops.images';
const SEQ_LABEL = 'io.mcp-gitops.record-seq';

interface Volume {
  Name: string;
  Labels: Record<string, string> | null;
}

interface StoredRecord {
  environment: string;
  target: string;
  record: ImageRecord;
  volumes: string[];
}

/** Every target's record on this engine (keys: `environment/target`). */
export async function readAllRecords(client: EngineClient): Promise<Map<string, StoredRecord>> {
  const filters = JSON.stringify({ label: [`${RECORD_LABEL}=images`] });
  const res = await client.json<{ Volumes: Volume[] | null }>({
    method: 'GET',
    path: '/volumes',
    query: { filters },
  });
  const found = new Map<string, StoredRecord & { seq: string }>();
  const volumes = (res.Volumes ?? []).filter((v) => v.Labels?.[RECORD_LABEL] === 'images');
  // Oldest first, so the newest volume's history wins when two are merged.
  volumes.sort((a, b) => seqOf(a).localeCompare(seqOf(b)));
  for (const volume of volumes) {
    const labels = volume.Labels ?? {};
    const environment = labels[LABELS.environment];
    const target = labels[LABELS.target];
    if (labels[LABELS.managedBy] !== 'mcp-gitops' || !environment || !target) continue;
    const key = `${environment}/${target}`;
    const record = parseRecord(labels[DATA_LABEL]);
    const known = found.get(key);
    found.set(key, {
      environment,
      target,
      seq: seqOf(volume),
      volumes: [...(known?.volumes ?? []), volume.Name],
      record: known
        ? { pulled: union(record.pulled, known.record.pulled), ran: { ...known.record.ran, ...record.ran } }
        : record,
    });
  }
  return found;
}

export async function readRecord(
  client: EngineClient,
  environment: string,
  target: string,
): Promise<ImageRecord> {
  return (await readAllRecords(client)).get(`${environment}/${target}`)?.record ?? { pulled: [], ran: {} };
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Change a target's record: read, `change`, write a new volume, remove the old ones. Updates of
 * one target in this process run one after the other.
 */
export function updateRecord(
  client: EngineClient,
  environment: string,
  target: string,
  change: (record: ImageRecord) => ImageRecord,
): Promise<ImageRecord> {
  const key = `${client.socketPath}\u0000${environment}\u0000${target}`;
  const run = (queues.get(key) ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => writeRecord(client, environment, target, change));
  queues.set(key, run);
  void run
    .finally(() => {
      if (queues.get(key) === run) queues.delete(key);
    })
    .catch(() => undefined);
  return run;
}

async function writeRecord(
  client: EngineClient,
  environment: string,
  target: string,
  change: (record: ImageRecord) => ImageRecord,
): Promise<ImageRecord> {
  const stored = (await readAllRecords(client)).get(`${environment}/${target}`);
  const before = stored?.record ?? { pulled: [], ran: {} };
  const after = normalize(change(before));
  const unchanged = JSON.stringify(after) === JSON.stringify(normalize(before));
  if (unchanged && (stored?.volumes.length ?? 0) <= 1) return after;
  const seq = `${Date.now().toString(36).padStart(9, '0')}${Math.random().toString(36).slice(2, 6)}`;
  const name = `mcp-gitops_${environment}_${target}.images.${seq}`;
  await client.json({
    method: 'POST',
    path: '/volumes/create',
    body: {
      Name: name,
      Labels: {
        ...ownerLabels(environment, target),
        [RECORD_LABEL]: 'images',
        [SEQ_LABEL]: seq,
        [DATA_LABEL]: JSON.stringify(after),
      },
    },
  });
  for (const old of stored?.volumes ?? []) {
    await client.expect({ method: 'DELETE', path: `/volumes/${encodeURIComponent(old)}` }, [204, 404]);
  }
  return after;
}

/** `ref` was pulled by mcp-gitops. */
export function withPulled(record: ImageRecord, ref: string): ImageRecord {
  return { ...record, pulled: union(record.pulled, [ref]) };
}

/** `server` now runs `ref`: it moves to the front of the server's history. */
export function withRan(record: ImageRecord, server: string, ref: string): ImageRecord {
  const history = [ref, ...(record.ran[server] ?? []).filter((r) => r !== ref)].slice(0, HISTORY_LIMIT);
  return { ...record, ran: { ...record.ran, [server]: history } };
}

function normalize(record: ImageRecord): ImageRecord {
  const ran = Object.fromEntries(
    Object.entries(record.ran)
      .filter(([, refs]) => refs.length > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return { pulled: [...new Set(record.pulled)].sort(), ran };
}

function parseRecord(text: string | undefined): ImageRecord {
  try {
    const parsed = JSON.parse(text ?? '') as Partial<ImageRecord>;
    const pulled = Array.isArray(parsed.pulled) ? parsed.pulled.filter((r) => typeof r === 'string') : [];
    const ran: Record<string, string[]> = {};
    for (const [server, refs] of Object.entries(parsed.ran ?? {})) {
      if (Array.isArray(refs)) ran[server] = refs.filter((r) => typeof r === 'string');
    }
    return { pulled, ran };
  } catch {
    return { pulled: [], ran: {} };
  }
}

function seqOf(volume: Volume): string {
  return volume.Labels?.[SEQ_LABEL] ?? '';
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
