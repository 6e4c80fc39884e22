#!/usr/bin/env node
// Node 20's test runner neither expands globs nor finds .ts files in directories: collect
// test/**/*.test.ts here (or the paths given) and hand them to `node --test` with tsx.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => !(e.isDirectory() && (e.name === 'fixtures' || e.name === 'node_modules')))
    .flatMap((e) => (e.isDirectory() ? collect(join(path, e.name)) : e.name.endsWith('.test.ts') ? [join(path, e.name)] : []))
    .sort();
}

const files = (process.argv.length > 2 ? process.argv.slice(2) : ['test']).flatMap(collect);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
