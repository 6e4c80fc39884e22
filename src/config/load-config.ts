/**
 * The loader (DESIGN.md §3 "load"): every YAML file of the config repo, from the working tree,
 * the git index or a revision, parsed into documents that can point back at their source. Bad
 * input becomes diagnostics, never exceptions; exceptions are for a repo that cannot be read.
 */
import { resolve } from 'node:path';
import type { ConfigSet, LoadedDocument, SourceFile, SourceKind } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type {
  EnvironmentResource,
  HookResource,
  PolicyResource,
  RepositoryResource,
  ServerResource,
} from '../core/resources.js';
import { classifyDocument } from './classify-document.js';
import { FileLocator, PositionCache } from './locate-node.js';
import { parseYaml } from './parse-yaml.js';
import type { ReadResult } from './raw-file.js';
import { readWorktree } from './read-worktree.js';
import { DEFAULT_MAX_FILE_BYTES, isResourceFile } from './repo-layout.js';

export interface LoadOptions {
  /** The config repo's work tree. */
  root: string;
  /** Default `worktree`, or `revision` when `rev` is given. */
  source?: SourceKind;
  /** With `source: 'revision'`: a branch, tag, commit id, optionally with ~N / ^N. Default HEAD. */
  rev?: string;
  /** Files larger than this are refused (`file-too-large`). Default 1 MiB. */
  maxFileBytes?: number;
  /** YAML bytes read from git in all (revisions and the index). Default 64 MiB. */
  maxTotalBytes?: number;
}

export interface LoadResult {
  config: ConfigSet;
  diagnostics: Diagnostic[];
}

async function readSource(
  root: string,
  source: SourceKind,
  rev: string | undefined,
  max: number,
  maxTotalBytes: number | undefined,
) {
  if (source === 'worktree') return { read: readWorktree(root, max), revision: undefined };
  const { readGit } = await import('./read-git.js');
  const limits = { maxFileBytes: max, maxTotalBytes };
  if (source === 'index') return { read: await readGit(root, limits), revision: undefined };
  const { resolveRevision } = await import('./resolve-revision.js');
  const revision = await resolveRevision(root, rev ?? 'HEAD');
  return { read: await readGit(root, limits, revision), revision };
}

export function buildConfigSet(
  root: string,
  source: SourceKind,
  revision: string | undefined,
  read: ReadResult,
): LoadResult {
  const diagnostics = [...read.diagnostics];
  const documents: LoadedDocument[] = [];
  const positions = new PositionCache();
  for (const file of read.files) {
    if (!isResourceFile(file.path, file.text)) continue;
    const parsed = parseYaml(file.path, file.text);
    if (!parsed.ok) {
      diagnostics.push(parsed.diagnostic);
      continue;
    }
    const locator = new FileLocator(file.path, file.text, positions);
    parsed.documents.forEach((value, index) => {
      if (value === null || value === undefined) return; // an empty document (`---` alone)
      const classified = classifyDocument(file.path, index, value, locator.forDocument(index));
      if ('document' in classified) documents.push(classified.document);
      else diagnostics.push(...classified.diagnostics);
    });
  }
  const files = read.files.map((f) =>
    f.oid === undefined ? { path: f.path, text: f.text } : { path: f.path, text: f.text, oid: f.oid },
  );
  return { config: assembleConfigSet(root, source, revision, files, documents), diagnostics };
}

/** The ConfigSet of loaded documents: each kind's list, in load order (also for the config cache). */
export function assembleConfigSet(
  root: string,
  source: SourceKind,
  revision: string | undefined,
  files: SourceFile[],
  documents: LoadedDocument[],
): ConfigSet {
  const ofKind = <T>(kind: string) => documents.filter((d) => d.kind === kind) as LoadedDocument<T>[];
  return {
    root,
    source,
    revision,
    files,
    documents,
    repository: ofKind<RepositoryResource>('Repository')[0],
    servers: ofKind<ServerResource>('Server'),
    environments: ofKind<EnvironmentResource>('Environment'),
    policies: ofKind<PolicyResource>('Policy'),
    hooks: ofKind<HookResource>('Hook'),
  };
}

export async function loadConfig(options: LoadOptions): Promise<LoadResult> {
  const root = resolve(options.root);
  const source: SourceKind = options.source ?? (options.rev === undefined ? 'worktree' : 'revision');
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { read, revision } = await readSource(root, source, options.rev, max, options.maxTotalBytes);
  return buildConfigSet(root, source, revision, read);
}
