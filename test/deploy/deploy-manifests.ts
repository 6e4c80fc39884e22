/**
 * The manifests of deploy/kubernetes as the tests read them: the files kustomization.yaml lists,
 * in that order, every YAML document of each as a plain object. One reader, so the static checks
 * and the API server tests look at exactly what `kubectl apply -k deploy/kubernetes` would send.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parse, parseAllDocuments } from 'yaml';

export const DEPLOY_DIR = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../../deploy/kubernetes',
);

export interface Manifest extends KubernetesObject {
  /** The file it came from, relative to deploy/kubernetes. */
  file: string;
  [key: string]: unknown;
}

/** The `resources:` of deploy/kubernetes/kustomization.yaml. */
export function kustomizationResources(): string[] {
  const k = parse(fs.readFileSync(path.join(DEPLOY_DIR, 'kustomization.yaml'), 'utf8')) as {
    resources?: unknown;
  };
  if (!Array.isArray(k.resources)) throw new Error('kustomization.yaml lists no resources');
  return k.resources.map(String);
}

/** Every document of every listed file; a YAML error or an empty document throws. */
export function deployManifests(): Manifest[] {
  return kustomizationResources().flatMap((file) => {
    const text = fs.readFileSync(path.join(DEPLOY_DIR, file), 'utf8');
    return parseAllDocuments(text).map((doc, i) => {
      if (doc.errors.length > 0) throw new Error(`${file} document ${i + 1}: ${doc.errors[0]?.message}`);
      const value = doc.toJS() as KubernetesObject | null;
      if (!value?.kind) throw new Error(`${file} document ${i + 1} has no kind`);
      return { ...value, file } as Manifest;
    });
  });
}

/** The manifest of a kind and name; throws when there is none. */
export function manifest(all: readonly Manifest[], kind: string, name: string): Manifest {
  const found = all.find((m) => m.kind === kind && m.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/kubernetes`);
  return found;
}

/** The object without the test's bookkeeping field, as it is sent to the API server. */
export function withoutFile(m: Manifest): KubernetesObject {
  const { file: _file, ...rest } = m;
  return rest;
}
