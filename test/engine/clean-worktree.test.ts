/**
 * The uncommitted-config check skips reading files git's index vouches for (clean-worktree.ts,
 * src/git/index-file.ts). On real repositories made by the git CLI: a clean tree is proven clean (index
 * versions 2, 3 and 4), and every way a file can differ from the commit — edited, staged, untracked,
 * deleted, skip-worktree, racily clean, a damaged index — is no proof, so the files are read and
 * the warnings are exactly the ones reading them gives.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { readGit } from '../../src/config/read-git.js';
import { readWorktree } from '../../src/config/read-worktree.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../src/config/repo-layout.js';
import type { SourceFile } from '../../src/core/config-set.js';
import { provablyClean } from '../../src/engine/clean-worktree.js';
import { uncommittedConfig } from '../../src/engine/uncommitted-config.js';
import { parseGitIndex } from '../../src/git/index-file.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

const FILES: Record<string, string> = {
  'mcp-gitops.yaml':
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: t }\nspec: { branch: main }\n',
  'servers/memory.yaml': 'apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: memory }\nspec: {}\n',
  'servers/other.yaml': 'apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: other }\nspec: {}\n',
  'notes/free.yaml': 'just: data\n',
  'README.md': 'not config\n',
};

let repo: TempRepo;
let committed: SourceFile[];
let revision: string;

/** Files dated 10 s ago before git sees them, so none is racily clean by accident. */
function writeOld(file: string, text: string): void {
  repo.write(file, text);
  const past = new Date(Date.now() - 10_000);
  utimesSync(join(repo.dir, file), past, past);
}

const clean = () => provablyClean(repo.dir, committed, DEFAULT_MAX_FILE_BYTES);
const warnings = () =>
  uncommittedConfig(repo.dir, committed, revision).map((d) => `${d.file}: ${d.message.split(':')[0]}`);

describe('uncommitted config through git index', () => {
  beforeEach(() => {
    repo = createTempRepo();
    for (const [file, text] of Object.entries(FILES)) writeOld(file, text);
    revision = repo.commitAll('config');
    committed = readWorktree(repo.dir, DEFAULT_MAX_FILE_BYTES).files;
  });
  afterEach(() => repo.cleanup());

  test('a clean tree is proven clean, with index versions 2, 3 and 4', () => {
    assert.equal(clean(), true);
    assert.deepEqual(warnings(), []);
    repo.git('update-index', '--index-version', '4');
    assert.equal(clean(), true);
    repo.git('update-index', '--index-version', '3');
    repo.git('update-index', '--skip-worktree', 'README.md');
    assert.equal(clean(), true, 'an extended entry that is not config does not matter');
  });

  test('files read from the commit are compared by their blob ids, not by hashing their texts', async () => {
    const fromGit = (await readGit(repo.dir, DEFAULT_MAX_FILE_BYTES, revision)).files;
    assert.ok(fromGit.every((f) => typeof f.oid === 'string'));
    assert.equal(provablyClean(repo.dir, fromGit, DEFAULT_MAX_FILE_BYTES), true);
    // The same texts under another blob id: the id decides, so this is no proof.
    const wrongId = fromGit.map((f) =>
      f.path === 'servers/memory.yaml' ? { ...f, oid: '0'.repeat(40) } : f,
    );
    assert.equal(provablyClean(repo.dir, wrongId, DEFAULT_MAX_FILE_BYTES), false);
  });

  test('an edit of the same size is no proof, and is warned about', () => {
    writeFileSync(
      join(repo.dir, 'servers/memory.yaml'),
      FILES['servers/memory.yaml']!.replace('memory', 'memorx'),
    );
    assert.equal(clean(), false);
    assert.deepEqual(warnings(), ['servers/memory.yaml: changed since the last commit']);
  });

  test('a staged edit is no proof even when git has seen the file as it is', () => {
    writeOld('servers/memory.yaml', FILES['servers/memory.yaml']!.replace('memory', 'memorx'));
    repo.git('add', 'servers/memory.yaml');
    assert.equal(clean(), false);
    assert.deepEqual(warnings(), ['servers/memory.yaml: changed since the last commit']);
  });

  test('untracked, deleted and skip-worktree files are no proof', () => {
    writeOld('servers/new.yaml', FILES['servers/other.yaml']!.replace('other', 'new'));
    assert.equal(clean(), false);
    assert.deepEqual(warnings(), ['servers/new.yaml: not committed']);
    rmSync(join(repo.dir, 'servers/new.yaml'));
    rmSync(join(repo.dir, 'servers/other.yaml'));
    assert.equal(clean(), false);
    assert.deepEqual(warnings(), ['servers/other.yaml: deleted but not committed']);
    repo.git('checkout', '--', 'servers/other.yaml');
    repo.git('update-index', '--skip-worktree', 'servers/memory.yaml');
    assert.equal(clean(), false);
    assert.deepEqual(warnings(), []);
  });

  test('a file changed as late as the index was written is no proof (racily clean)', () => {
    const index = join(repo.dir, '.git/index');
    const past = new Date(Date.now() - 60_000);
    utimesSync(index, past, past);
    assert.equal(clean(), false);
    assert.deepEqual(warnings(), []);
  });

  test('a damaged, truncated or missing index is no proof and never throws', () => {
    const index = join(repo.dir, '.git/index');
    const bytes = readFileSync(index);
    assert.ok(parseGitIndex(bytes));
    for (let cut = 0; cut < bytes.length; cut += 7)
      assert.equal(parseGitIndex(bytes.subarray(0, cut)), undefined);
    const damaged = Buffer.from(bytes);
    damaged[40] = (damaged[40]! + 1) & 0xff;
    assert.equal(parseGitIndex(damaged), undefined);
    writeFileSync(index, damaged);
    assert.equal(clean(), false);
    assert.deepEqual(warnings(), []);
    rmSync(index);
    assert.equal(clean(), false);
  });

  test('parsed entries carry the blob ids git reports', () => {
    repo.git('update-index', '--index-version', '4');
    const entries = parseGitIndex(readFileSync(join(repo.dir, '.git/index')));
    const listed = repo
      .git('ls-files', '-s')
      .split('\n')
      .map((line) => {
        const [, , oid, , path] = /^(\d+) ([0-9a-f]+) (\d)\t(.*)$/.exec(line) ?? [];
        return [path, oid];
      });
    assert.deepEqual(
      [...(entries ?? new Map())].map(([path, e]) => [path, e.oid]),
      listed,
    );
  });
});
