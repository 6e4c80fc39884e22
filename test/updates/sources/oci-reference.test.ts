/** Image identifiers and pins as podman reads them, and which configured registry answers for an image. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveOciAccess } from '../../../src/updates/sources/oci-access.js';
import { parseImageReference, parseOciPin } from '../../../src/updates/sources/oci-reference.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it('reads a registry host with a port and a nested path', () => {
    assert.deepEqual(parseImageReference('127.0.0.1:5000/org/tools/server'), {
      host: '127.0.0.1:5000',
      apiHost: '127.0.0.1:5000',
      repository: 'org/tools/server',
    });
  });
  it('puts Docker Hub short names under library/ and asks registry-1.docker.io', () => {
    for (const id of [
      'nginx',
      'library/nginx',
      'docker.io/nginx',
      'docker.io/library/nginx',
      'index.docker.io/nginx',
    ]) {
      assert.deepEqual(
        parseImageReference(id),
        { host: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'library/nginx' },
        id,
      );
    }
    assert.equal(parseImageReference('mcp/fetch')?.repository, 'mcp/fetch');
    assert.equal(parseImageReference('localhost/x/y')?.host, 'localhost');
  });
  it('splits a tag and a digest off the identifier', () => {
    assert.deepEqual(parseImageReference(`ghcr.io/o/n:1.2.3@${D}`), {
      host: 'ghcr.io',
      apiHost: 'ghcr.io',
      repository: 'o/n',
      tag: '1.2.3',
      digest: D,
    });
    assert.equal(parseImageReference(`ghcr.io/o/n@${D}`)?.digest, D);
  });
  it('refuses what is not a reference', () => {
    for (const id of [
      '',
      'UPPER/case',
      'a//b',
      'ghcr.io/o/n@sha256:short',
      'x y',
      'ghcr.io/o/n:bad tag',
      '../etc',
      'a/b?x=1',
    ]) {
      assert.equal(parseImageReference(id), undefined, id);
    }
  });
});

describe('parseOciPin', () => {
  it('reads tag, tag@digest and a bare digest', () => {
    assert.deepEqual(parseOciPin('1.2.3'), { tag: '1.2.3' });
    assert.deepEqual(parseOciPin(`v1.2.3@${D}`), { tag: 'v1.2.3', digest: D });
    assert.deepEqual(parseOciPin(D), { digest: D });
    assert.equal(parseOciPin('1.2.3@sha256:xyz'), undefined);
    assert.equal(parseOciPin('-bad'), undefined);
  });
});

describe('resolveOciAccess', () => {
  const secrets: Record<string, string> = { 'env:U': 'robot', 'env:P': 'canary-pw' };
  const resolve = async (ref: string) => {
    const v = secrets[ref];
    if (v === undefined) throw new Error(`no ${ref}`);
    return v;
  };
  it('uses the entry whose host matches, with its credentials resolved', async () => {
    const access = await resolveOciAccess(
      '127.0.0.1:5000/tools/srv',
      [
        { host: 'ghcr.io', token: { ref: 'env:T' } },
        { host: '127.0.0.1:5000', insecure: true, username: { ref: 'env:U' }, password: { ref: 'env:P' } },
      ],
      resolve,
    );
    assert.deepEqual(access, {
      url: 'http://127.0.0.1:5000',
      insecure: true,
      username: 'robot',
      password: 'canary-pw',
    });
  });
  it('is anonymous https when no entry matches, and Docker Hub uses its API host', async () => {
    assert.deepEqual(await resolveOciAccess('ghcr.io/o/n', [{ host: 'quay.io' }], resolve), {
      url: 'https://ghcr.io',
    });
    assert.deepEqual(await resolveOciAccess('nginx', undefined, resolve), {
      url: 'https://registry-1.docker.io',
    });
  });
  it('matches Docker Hub under any of its names and honours a configured url', async () => {
    const access = await resolveOciAccess(
      'mcp/fetch',
      [{ host: 'docker.io', url: 'https://mirror.example/' }],
      resolve,
    );
    assert.deepEqual(access, { url: 'https://mirror.example' });
  });
  it('refuses an identifier that is not a reference', async () => {
    await assert.rejects(resolveOciAccess('Not A Ref', undefined, resolve), {
      name: 'UpdateSourceError',
      code: 'bad-config',
    });
  });
});
