#!/usr/bin/env node
/**
 * `npm pack` of this checkout, run in a private copy of it, so that two packs at once never race on
 * dist/. `npm pack` runs the `prepare` script, which rebuilds dist/ (removing it first); CI runs two
 * test files side by side, and the installed-CLI test and the image build both pack: a pack that
 * reads dist/ while the other's prepare has just removed it ships a broken product. The copy holds
 * what npm packs (package.json's `files`, the README, the changelog) plus what prepare needs to
 * build dist/ (src/, scripts/build.mjs and the template precompiler it imports, tsconfig.json),
 * with node_modules linked, not copied. A user's own `npm pack` in the checkout is the same pack;
 * this only keeps the checkout untouched.
 *
 * Usage: node scripts/pack-isolated.mjs DEST_DIR   — prints the tarball's path on stdout.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function packIsolated(dest) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const copy = mkdtempSync(join(tmpdir(), 'mcp-gitops-pack-'));
  try {
    const entries = [
      ...pkg.files.filter((f) => f !== 'dist'),
      'package.json',
      'package-lock.json',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      'src',
      'tsconfig.json',
      'scripts/build.mjs',
      'scripts/precompile-report-templates.mjs',
    ];
    for (const entry of entries) {
      if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    mkdirSync(dest, { recursive: true });
    const before = new Set(readdirSync(dest));
    execFileSync('npm', ['pack', '--pack-destination', resolve(dest), '--silent'], {
      cwd: copy,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const made = readdirSync(dest).filter((f) => f.endsWith('.tgz') && !before.has(f));
    if (made.length !== 1) throw new Error(`npm pack made ${made.length} tarballs in ${dest}`);
    return join(resolve(dest), made[0]);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dest = process.argv[2];
  if (!dest) {
    process.stderr.write('usage: node scripts/pack-isolated.mjs DEST_DIR\n');
    process.exit(2);
  }
  process.stdout.write(`${packIsolated(dest)}\n`);
}
