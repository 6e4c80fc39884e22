/** `mcp-gitops import`: read server.json, convert, render, and write it (never over a file unless forced). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { McpGitopsError } from '../core/errors.js';
import { productPath } from '../init/product-paths.js';
import { SCHEMAS_DIR } from '../init/schema-modeline.js';
import { readServerJson } from './read-server-json.js';
import { renderServerYaml } from './render-server-yaml.js';
import { type ImportOptions, type ImportResult, toServer } from './to-server.js';

export interface ImportServerOptions extends ImportOptions {
  out?: string;
  force?: boolean;
}

function configRoot(from: string): string | undefined {
  for (let d = path.resolve(from); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'mcp-gitops.yaml'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The modeline target: the repo's schema copy (from `init`), else the product's own schema. */
function schemaRefFor(out: string | undefined): string {
  if (!out) return `../${SCHEMAS_DIR}/server.schema.json`;
  const dir = path.dirname(path.resolve(out));
  const root = configRoot(dir);
  const copy = root ? path.join(root, SCHEMAS_DIR, 'server.schema.json') : undefined;
  const schema = copy && fs.existsSync(copy) ? copy : productPath('schemas', 'server.schema.json');
  return path.relative(dir, schema).split(path.sep).join('/');
}

export function importServer(
  file: string,
  options: ImportServerOptions,
): { yaml: string; result: ImportResult } {
  const result = toServer(readServerJson(file), options);
  const yaml = renderServerYaml(result, path.basename(file), schemaRefFor(options.out));
  if (options.out) {
    if (fs.existsSync(options.out) && !options.force) {
      throw new McpGitopsError('ERR_IO', `${options.out} already exists`, {
        hint: 'nothing was written; choose another --out or pass --force to overwrite it',
      });
    }
    fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    fs.writeFileSync(options.out, yaml);
  }
  return { yaml, result };
}
