/**
 * `readFileAt` reads through the bounded object store: every file of every commit must read back
 * exactly as `git show REV:PATH` gives it, loose and packed (with deltas), nested or at the root;
 * a missing path is undefined and a path through a file or to a folder an error, as isomorphic-git
 * answered before.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { after, describe, test } from 'node:test';
import { git } from '../../src/git/iso-git.js';
import { openRepo } from '../../src/git/open-repo.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

function history(repo: TempRepo): string[] {
  const lines = Array.from({ length: 300 }, (_, i) => `  "key${i}": "value ${i} ✓ ${'x'.repeat(i % 13)}",`);
  const commits: string[] = [];
  for (let v = 0; v < 6; v++) {
    lines[(v * 41) % lines.length] = `  "changed-${v}": ${v},`;
    repo.write('reports/dev/laptop.json', `{\n${lines.join('\n')}\n  "v": ${v}\n}\n`);
    repo.write('reports/README.md', `# Reports ${v}\n`);
    repo.write(`deep/${'d/'.repeat(v % 4)}f.yaml`, `v: ${v}\n`);
    repo.write('top.yaml', v % 2 ? 'odd: true\n' : '');
    commits.push(repo.commitAll(`version ${v}`));
  }
  return commits;
}

async function assertEveryFile(repo: TempRepo, commits: string[]): Promise<number> {
  const g = await openRepo(repo.dir);
  let files = 0;
  for (const rev of commits) {
    for (const file of repo.git('ls-tree', '-r', '--name-only', rev).split('\n').filter(Boolean)) {
      const want = execFileSync('git', ['-C', repo.dir, 'show', `${rev}:${file}`]).toString('utf8');
      assert.equal(await g.readFileAt(rev, file), want, `${rev.slice(0, 8)}:${file}`);
      files++;
    }
  }
  return files;
}

describe('readFileAt', () => {
  const repos: TempRepo[] = [];
  after(() => {
    for (const r of repos) r.cleanup();
  });

  test('every file of every commit, loose and then packed with deltas', async () => {
    const repo = createTempRepo('mcp-gitops-readat-');
    repos.push(repo);
    const commits = history(repo);
    assert.ok((await assertEveryFile(repo, commits)) >= 24);
    repo.git('gc', '--aggressive', '-q');
    assert.match(repo.git('count-objects', '-v'), /in-pack: [1-9]/);
    await assertEveryFile(repo, commits);
  });

  test('missing paths and paths through a file or to a folder: as isomorphic-git answered', async () => {
    const repo = createTempRepo('mcp-gitops-readat-');
    repos.push(repo);
    const first = history(repo)[0] as string;
    const g = await openRepo(repo.dir);
    // What readFileAt answered when it read through isomorphic-git: undefined for NotFoundError.
    const before = async (rev: string, filepath: string) => {
      const oid = repo.git('rev-parse', rev).trim();
      try {
        const { blob } = await git.readBlob({ fs, dir: repo.dir, oid, filepath });
        return Buffer.from(blob).toString('utf8');
      } catch (err) {
        if ((err as { code?: string }).code === 'NotFoundError') return undefined;
        return 'error';
      }
    };
    const cases: [string, string][] = [
      ['HEAD', 'reports/dev/absent.json'],
      ['HEAD', 'absent/x.json'],
      [first, 'deep/d/f.yaml'],
      [first, 'deep/f.yaml'],
      ['HEAD', 'top.yaml/x'],
      ['HEAD', 'reports/dev'],
      ['HEAD', 'reports/README.md'],
    ];
    for (const [rev, file] of cases) {
      const now = await g.readFileAt(rev, file).catch((err: Error) => {
        assert.match(err.message, new RegExp(`cannot read ${file}`));
        return 'error';
      });
      assert.equal(now, await before(rev, file), `${rev}:${file}`);
    }
  });
});
