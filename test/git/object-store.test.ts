/**
 * The bounded object store against repositories the git CLI wrote: loose objects, packs with
 * offset deltas and with id deltas, thin-pack style bases, alternates — every object must read
 * back exactly as `git cat-file` gives it, and an oversized blob is refused from its header.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import * as zlib from 'node:zlib';
import { ObjectStore } from '../../src/git/objects/object-store.js';
import { ObjectTooLargeError } from '../../src/git/objects/types.js';
import { commitTree, walkTree } from '../../src/git/objects/walk-tree.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

/** Every object of the repository with its type and raw content, as git itself reads them. */
function allObjects(repo: TempRepo): { oid: string; type: string; data: Buffer }[] {
  const list = repo.git('cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)');
  const oids = list.split('\n').filter(Boolean);
  return oids.map((line) => {
    const [oid, type] = line.split(' ') as [string, string];
    const data = execFileSync('git', ['-C', repo.dir, 'cat-file', type, oid]);
    return { oid, type, data };
  });
}

/** A history in which each version of a file differs a little from the last: git deltifies it. */
function buildHistory(repo: TempRepo, versions: number): void {
  const lines = Array.from({ length: 400 }, (_, i) => `  key${i}: value ${i} ${'x'.repeat(i % 17)}`);
  for (let v = 0; v < versions; v++) {
    lines[(v * 37) % lines.length] = `  key-changed-${v}: ${v}`;
    repo.write('servers/big.yaml', `spec:\n${lines.join('\n')}\n`);
    repo.write(`servers/s${v % 5}.yaml`, `name: s${v}\nversion: ${v}\n`);
    repo.write(`deep/${'d/'.repeat(v % 7)}f.yaml`, `v: ${v}\n`);
    repo.commitAll(`version ${v}`);
  }
}

function assertAllReadBack(repo: TempRepo): number {
  const store = ObjectStore.open(repo.dir);
  try {
    const objects = allObjects(repo);
    for (const o of objects) {
      const info = store.info(o.oid);
      assert.equal(info.type, o.type, `type of ${o.oid}`);
      assert.equal(info.size, o.data.length, `size of ${o.oid}`);
      const read = store.read(o.oid, 1 << 30);
      assert.equal(read.type, o.type);
      assert.ok(read.data.equals(o.data), `content of ${o.type} ${o.oid}`);
    }
    return objects.length;
  } finally {
    store.close();
  }
}

function packEntryKinds(repo: TempRepo): Set<string> {
  const packDir = path.join(repo.dir, '.git/objects/pack');
  const idx = fs.readdirSync(packDir).filter((f) => f.endsWith('.idx'));
  const kinds = new Set<string>();
  for (const f of idx) {
    const out = repo.git('verify-pack', '-v', path.join(packDir, f));
    for (const line of out.split('\n')) {
      const cols = line.split(/\s+/);
      if (/^[0-9a-f]{40}$/.test(cols[0] ?? '')) kinds.add(cols.length > 5 ? 'delta' : 'whole');
    }
  }
  return kinds;
}

describe('object store (loose, packed, deltas)', () => {
  const repos: TempRepo[] = [];
  after(() => {
    for (const r of repos) r.cleanup();
  });
  const fresh = () => {
    const r = createTempRepo('mcp-gitops-objects-');
    repos.push(r);
    return r;
  };

  test('loose objects read back exactly', () => {
    const repo = fresh();
    buildHistory(repo, 6);
    assert.equal(fs.readdirSync(path.join(repo.dir, '.git/objects/pack')).length, 0);
    assert.ok(assertAllReadBack(repo) > 20);
  });

  test('a pack with offset deltas reads back exactly', () => {
    const repo = fresh();
    buildHistory(repo, 30);
    repo.git('repack', '-a', '-d', '-f', '--depth=50', '--window=50');
    assert.ok(packEntryKinds(repo).has('delta'), 'the pack must hold deltas for this test to mean anything');
    assert.ok(assertAllReadBack(repo) > 90);
  });

  test('a pack with id (ref) deltas reads back exactly', () => {
    const repo = fresh();
    buildHistory(repo, 30);
    repo.git('-c', 'repack.useDeltaBaseOffset=false', 'repack', '-a', '-d', '-f');
    assert.ok(packEntryKinds(repo).has('delta'));
    assertAllReadBack(repo);
  });

  test('loose and packed objects together, a pack over 2 files, and alternates', () => {
    const repo = fresh();
    buildHistory(repo, 10);
    repo.git('repack', '-d');
    buildHistory(repo, 10);
    repo.git('repack', '-d');
    buildHistory(repo, 3);
    assertAllReadBack(repo);

    const borrower = fresh();
    fs.writeFileSync(
      path.join(borrower.dir, '.git/objects/info/alternates'),
      `${path.join(repo.dir, '.git/objects')}\n`,
    );
    const head = repo.git('rev-parse', 'HEAD');
    const store = ObjectStore.open(borrower.dir);
    try {
      assert.equal(store.info(head).type, 'commit');
    } finally {
      store.close();
    }
  });

  test('loose objects at the limit, over it, past 64 KiB on disk, and with a lying header', () => {
    const repo = fresh();
    const write = (data: Buffer) =>
      execFileSync('git', ['-C', repo.dir, 'hash-object', '-w', '--stdin'], {
        input: data,
        encoding: 'utf8',
      }).trim();
    const text = Buffer.from('name: x\n'.repeat(100));
    const small = write(text);
    const empty = write(Buffer.alloc(0));
    const zeros = write(Buffer.alloc(4 * 1024 * 1024)); // ~4 KiB on disk: read whole, inflated once
    const noise = randomBytes(200 * 1024);
    const big = write(noise); // over 64 KiB on disk: header first
    const store = ObjectStore.open(repo.dir);
    try {
      assert.ok(store.read(small, text.length).data.equals(text));
      assert.throws(
        () => store.read(small, text.length - 1),
        (err: unknown) => err instanceof ObjectTooLargeError && err.size === text.length,
      );
      assert.equal(store.read(empty, 0).data.length, 0);
      const before = process.memoryUsage().arrayBuffers;
      assert.throws(
        () => store.read(zeros, 1024),
        (err: unknown) => err instanceof ObjectTooLargeError && err.size === 4 * 1024 * 1024,
      );
      assert.ok(process.memoryUsage().arrayBuffers - before < 1024 * 1024);
      assert.ok(store.read(zeros, 4 * 1024 * 1024).data.equals(Buffer.alloc(4 * 1024 * 1024)));
      assert.ok(
        fs.statSync(path.join(repo.dir, '.git/objects', big.slice(0, 2), big.slice(2))).size > 64 * 1024,
      );
      assert.ok(store.read(big, noise.length).data.equals(noise));
      assert.throws(() => store.read(big, noise.length - 1), ObjectTooLargeError);
    } finally {
      store.close();
    }
    // A loose object whose header declares more (or less) than it holds is corrupt, not short.
    for (const declared of [text.length + 5, text.length - 5]) {
      const fake = 'ab'.repeat(20);
      const dir = path.join(repo.dir, '.git/objects', fake.slice(0, 2));
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, fake.slice(2)),
        zlib.deflateSync(Buffer.concat([Buffer.from(`blob ${declared}\0`), text])),
      );
      const again = ObjectStore.open(repo.dir);
      try {
        assert.throws(() => again.read(fake, 1 << 20), /is corrupt/);
      } finally {
        again.close();
      }
    }
  });

  test('a blob that inflates to 256 MiB is refused from its header, loose and packed', () => {
    const repo = fresh();
    // 256 MiB of zeros, written through git's own zlib without ever being in this process.
    const blob = execFileSync(
      'sh',
      ['-c', `head -c ${256 * 1024 * 1024} /dev/zero | git -C "${repo.dir}" hash-object -w --stdin`],
      { encoding: 'utf8' },
    ).trim();
    const check = () => {
      const store = ObjectStore.open(repo.dir);
      try {
        assert.deepEqual(store.info(blob), { type: 'blob', size: 256 * 1024 * 1024 });
        const before = process.memoryUsage().arrayBuffers;
        assert.throws(
          () => store.read(blob, 1024 * 1024),
          (err: unknown) => err instanceof ObjectTooLargeError && err.size === 256 * 1024 * 1024,
        );
        // Nothing near the blob's size was allocated to refuse it.
        assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024);
      } finally {
        store.close();
      }
    };
    check();
    repo.git('update-index', '--add', '--cacheinfo', `100644,${blob},zeros.yaml`);
    repo.git('commit', '-q', '-m', 'zeros');
    repo.git('repack', '-a', '-d');
    assert.equal(fs.existsSync(path.join(repo.dir, '.git/objects', blob.slice(0, 2), blob.slice(2))), false);
    check();
  });

  test('an object read holds memory of its own size, not a 16 KiB zlib chunk, loose and packed', () => {
    const repo = fresh();
    // Text that compresses as YAML does: a small file (pooled) and one past the pool's 4 KiB.
    const line = (i: number) => `  key-${i}: value ${i} ${'abcdefgh'.slice(i % 8)}\n`;
    const small = Array.from({ length: 20 }, (_, i) => line(i)).join('');
    const large = Array.from({ length: 200 }, (_, i) => line(i)).join('');
    repo.write('small.yaml', small);
    repo.write('large.yaml', large);
    repo.commitAll('two files');
    const check = () => {
      const store = ObjectStore.open(repo.dir);
      try {
        for (const [file, text] of [
          ['small.yaml', small],
          ['large.yaml', large],
        ] as const) {
          const oid = repo.git('rev-parse', `HEAD:${file}`).trim();
          const { data } = store.read(oid, 1 << 20);
          assert.equal(data.toString('utf8'), text);
          // zlib's default output chunk is 16 KiB, of which the object kept a slice.
          assert.ok(
            data.buffer.byteLength < 16 * 1024,
            `a ${data.length}-byte object holds a ${data.buffer.byteLength}-byte buffer`,
          );
        }
      } finally {
        store.close();
      }
    };
    check();
    repo.git('repack', '-a', '-d');
    check();
  });

  test('walks a commit tree in full without recursion limits', () => {
    const repo = fresh();
    const deep = `${Array.from({ length: 300 }, (_, i) => `n${i}`).join('/')}/leaf.yaml`;
    repo.write(deep, 'x: 1\n');
    repo.write('a.yaml', 'a: 1\n');
    const head = repo.commitAll('deep');
    const store = ObjectStore.open(repo.dir);
    try {
      const paths: string[] = [];
      walkTree(store, commitTree(store, head), (e) => {
        if (e.mode !== 0o40000) paths.push(e.path);
        return true;
      });
      assert.deepEqual(paths.sort(), [deep, 'a.yaml'].sort());
      assert.throws(() => walkTree(store, commitTree(store, head), () => true, 10), /more than 10 entries/);
    } finally {
      store.close();
    }
  });
});
