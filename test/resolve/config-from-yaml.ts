/**
 * Test helper: a ConfigSet from in-memory YAML files, with real source positions (yaml's
 * parseAllDocuments + LineCounter), for unit tests of pure logic that must not depend on the
 * loader's file-system and git handling.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { ConfigSet, LoadedDocument, SourceLocation } from '../../src/core/config-set.js';
import type {
  EnvironmentResource,
  HookResource,
  PolicyResource,
  RepositoryResource,
  ServerResource,
} from '../../src/core/resources.js';

function locator(file: string, root: Node | null, lines: LineCounter) {
  return (path: readonly (string | number)[], which: 'key' | 'value' = 'value'): SourceLocation => {
    let node: Node | null = root;
    let at = root?.range?.[0] ?? 0;
    for (const [i, seg] of path.entries()) {
      let next: Node | null = null;
      let keyNode: Node | null = null;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
        );
        if (pair) {
          keyNode = pair.key as Node;
          next = (pair.value as Node | null) ?? null;
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = (node.items[seg] as Node | undefined) ?? null;
      }
      if (!next && !keyNode) break;
      if (i === path.length - 1 && which === 'key' && keyNode?.range) {
        at = keyNode.range[0];
        break;
      }
      node = next;
      if (node?.range) at = node.range[0];
      else if (keyNode?.range) {
        at = keyNode.range[0];
        break;
      }
    }
    const pos = lines.linePos(at);
    return { file, line: pos.line, col: pos.col };
  };
}

export function configFromYaml(files: Record<string, string>, root = '/config'): ConfigSet {
  const config: ConfigSet = {
    root,
    source: 'worktree',
    files: [],
    documents: [],
    servers: [],
    environments: [],
    policies: [],
    hooks: [],
  };
  for (const [file, text] of Object.entries(files)) {
    config.files.push({ path: file, text });
    const lines = new LineCounter();
    parseAllDocuments(text, { lineCounter: lines }).forEach((doc, index) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      const value = doc.toJS() as { kind: string; metadata: { name: string } };
      const loaded: LoadedDocument = {
        file,
        index,
        kind: value.kind,
        name: value.metadata.name,
        value,
        locate: locator(file, doc.contents as Node | null, lines),
      };
      config.documents.push(loaded);
      if (value.kind === 'Repository') config.repository = loaded as LoadedDocument<RepositoryResource>;
      if (value.kind === 'Server') config.servers.push(loaded as LoadedDocument<ServerResource>);
      if (value.kind === 'Environment')
        config.environments.push(loaded as LoadedDocument<EnvironmentResource>);
      if (value.kind === 'Policy') config.policies.push(loaded as LoadedDocument<PolicyResource>);
      if (value.kind === 'Hook') config.hooks.push(loaded as LoadedDocument<HookResource>);
    });
  }
  return config;
}
