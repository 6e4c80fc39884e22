/**
 * The parts of the OCI protocol Debian's docker-registry cannot show, against a loopback HTTP
 * server that speaks the Distribution API as documented: tag pages through `Link` (distribution
 * 2.8 ignores `n` on tags/list; pages came in 3.0), the Bearer token flow (the registry's token
 * auth needs a separate JWT-issuing token server), image indexes (podman pushes single manifests
 * here), and replies no real registry sends: garbage, wrong digests, links elsewhere, huge pages.
 * The real registry is tested in oci-registry.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { listOciVersions } from '../../../src/updates/sources/oci.js';
import { answerChallenge, parseChallenge } from '../../../src/updates/sources/oci-auth.js';
import type { RegistryAccess, SourceContext } from '../../../src/updates/types.js';

const CANARY = `canary-${randomBytes(8).toString('hex')}`;
const TOKEN = `tok-${randomBytes(8).toString('hex')}`;
const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

interface Doc {
  type: string;
  body: string;
}
/** A repository's manifests and blobs by digest and tag. */
function image(created: string, arch = 'amd64') {
  const config = JSON.stringify({ created, architecture: arch, os: 'linux' });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: sha(config),
      size: config.length,
    },
    layers: [],
  });
  return { config, manifest };
}

const arm = image('2026-03-01T00:00:00Z', 'arm64');
const amd = image('2026-03-02T10:11:12.123456789Z');
const index = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sha(arm.manifest),
      platform: { os: 'linux', architecture: 'arm64' },
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sha(amd.manifest),
      platform: { os: 'linux', architecture: 'amd64' },
    },
  ],
});
const one = image('2026-01-01T00:00:00Z');
const ALL_TAGS = ['1.0.0', '1.1.0', '2.0.0', 'latest', 'main'];

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

describe('OCI protocol details against a loopback Distribution API', () => {
  let server: Server;
  let base: string;
  let port: number;
  const seen: { path: string; authorization?: string }[] = [];
  let override: Handler | undefined;

  const docs = new Map<string, Doc>([
    ['manifests/1.0.0', { type: 'application/vnd.oci.image.manifest.v1+json', body: one.manifest }],
    ['manifests/1.1.0', { type: 'application/vnd.oci.image.manifest.v1+json', body: one.manifest }],
    ['manifests/2.0.0', { type: 'application/vnd.oci.image.index.v1+json', body: index }],
    [
      `manifests/${sha(amd.manifest)}`,
      { type: 'application/vnd.oci.image.manifest.v1+json', body: amd.manifest },
    ],
    [
      `manifests/${sha(arm.manifest)}`,
      { type: 'application/vnd.oci.image.manifest.v1+json', body: arm.manifest },
    ],
    [`blobs/${sha(one.config)}`, { type: 'application/octet-stream', body: one.config }],
    [`blobs/${sha(amd.config)}`, { type: 'application/octet-stream', body: amd.config }],
    [`blobs/${sha(arm.config)}`, { type: 'application/octet-stream', body: arm.config }],
  ]);

  /** Bearer-protected `/v2/o/app/` whose realm is `realm()`; other hosts' realms get no credentials. */
  let realm = () => `http://127.0.0.1:${port}/token`;

  before(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      seen.push({
        path: `${req.headers.host}${url.pathname}${url.search}`,
        authorization: req.headers.authorization,
      });
      if (override?.(req, res, url)) return;
      if (url.pathname === '/token') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ token: TOKEN }));
        return;
      }
      const m = /^\/v2\/o\/app\/(.+)$/.exec(url.pathname);
      if (m === null) {
        res.statusCode = 404;
        res.end();
        return;
      }
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.statusCode = 401;
        res.setHeader(
          'www-authenticate',
          `Bearer realm="${realm()}",service="loopback",scope="repository:o/app:pull"`,
        );
        res.end('{"errors":[{"code":"UNAUTHORIZED","message":"<script>secret</script>"}]}');
        return;
      }
      const rest = m[1] ?? '';
      if (rest === 'tags/list') {
        const n = Number(url.searchParams.get('n') ?? 1000);
        const last = url.searchParams.get('last');
        const start = last === null ? 0 : ALL_TAGS.indexOf(last) + 1;
        const page = ALL_TAGS.slice(start, start + n);
        if (start + n < ALL_TAGS.length) {
          res.setHeader('link', `</v2/o/app/tags/list?last=${page.at(-1)}&n=${n}>; rel="next"`);
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ name: 'o/app', tags: page }));
        return;
      }
      const doc = docs.get(rest);
      if (doc === undefined) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('content-type', doc.type);
      res.setHeader('docker-content-digest', sha(doc.body));
      res.end(req.method === 'HEAD' ? undefined : doc.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const ctx = (access: Partial<RegistryAccess> = {}): SourceContext & { requests: number } => {
    const c = {
      access: { url: base, insecure: true, ...access },
      signal: AbortSignal.timeout(20_000),
      requests: 0,
      countRequest: () => {
        c.requests++;
      },
    };
    return c;
  };
  const query = (current = '1.0.0') => ({
    kind: 'oci' as const,
    identifier: `127.0.0.1:${port}/o/app`,
    current,
  });

  test('follows Link pages, asks the token realm once, and reads an index through its linux/amd64 manifest', async () => {
    seen.length = 0;
    const c = ctx({ username: 'robot', password: CANARY });
    const listing = await listOciVersions(query(), c, { pageSize: 2 });
    assert.deepEqual(listing.releases, [
      { version: '1.0.0' },
      { version: '1.1.0', digest: sha(one.manifest), publishedAt: '2026-01-01T00:00:00.000Z' },
      { version: '2.0.0', digest: sha(index), publishedAt: '2026-03-02T10:11:12.123Z' },
      { version: 'latest' },
      { version: 'main' },
    ]);
    assert.equal(listing.currentDigest, sha(one.manifest));
    const tokenAsks = seen.filter((s) => s.path.startsWith(`127.0.0.1:${port}/token`));
    assert.equal(tokenAsks.length, 1);
    assert.equal(
      tokenAsks[0]?.path,
      `127.0.0.1:${port}/token?service=loopback&scope=repository%3Ao%2Fapp%3Apull`,
    );
    // the realm is on the registry's host: it gets the basic credentials
    assert.equal(tokenAsks[0]?.authorization, `Basic ${Buffer.from(`robot:${CANARY}`).toString('base64')}`);
    assert.deepEqual(
      seen.filter((s) => s.path.includes('tags/list')).map((s) => s.path.replace(`127.0.0.1:${port}`, '')),
      [
        '/v2/o/app/tags/list?n=2',
        '/v2/o/app/tags/list?n=2',
        '/v2/o/app/tags/list?last=1.1.0&n=2',
        '/v2/o/app/tags/list?last=latest&n=2',
      ],
    );
    assert.ok(!seen.some((s) => s.path.includes(sha(arm.config))), 'the arm64 config is never read');
    assert.equal(c.requests, seen.length);
  });

  test('a token realm on another host is asked without our credentials', async () => {
    seen.length = 0;
    realm = () => `http://localhost:${port}/token`;
    try {
      await listOciVersions(query('2.0.0'), ctx({ username: 'robot', password: CANARY }));
    } finally {
      realm = () => `http://127.0.0.1:${port}/token`;
    }
    const tokenAsk = seen.find((s) => s.path.startsWith(`localhost:${port}/token`));
    assert.ok(tokenAsk);
    assert.equal(tokenAsk.authorization, undefined);
    assert.ok(!JSON.stringify(seen).includes(Buffer.from(`robot:${CANARY}`).toString('base64')));
  });

  test('a configured token that the registry refuses is given to its token endpoint as the password', async () => {
    seen.length = 0;
    const listing = await listOciVersions(query('2.0.0'), ctx({ token: CANARY }));
    assert.equal(listing.releases.length, ALL_TAGS.length);
    assert.equal(seen[0]?.authorization, `Bearer ${CANARY}`);
    const tokenAsk = seen.find((s) => s.path.startsWith(`127.0.0.1:${port}/token`));
    assert.equal(tokenAsk?.authorization, `Basic ${Buffer.from(`token:${CANARY}`).toString('base64')}`);
    assert.equal(seen.at(-1)?.authorization, `Bearer ${TOKEN}`);
  });

  test('a token realm must be https unless the registry is insecure', async () => {
    const challenge = parseChallenge(`Bearer realm="http://evil.example/token",service="x"`);
    await assert.rejects(
      answerChallenge(challenge, {
        access: { url: 'https://registry.example', username: 'u', password: CANARY },
        repository: 'o/app',
        signal: AbortSignal.timeout(5000),
        countRequest: () => {},
      }),
      {
        code: 'bad-reply',
        message:
          'https://registry.example named a token endpoint that is not https (http://evil.example); refused',
      },
    );
  });

  const failsWith = async (handler: Handler, code: string, message: RegExp, current = '1.0.0') => {
    override = handler;
    try {
      await assert.rejects(
        listOciVersions(query(current), ctx({ token: TOKEN, password: CANARY, username: 'u' })),
        (err: Error & { code?: string }) => {
          assert.equal(err.name, 'UpdateSourceError');
          assert.equal(err.code, code, err.message);
          assert.match(err.message, message);
          assert.ok(
            !err.message.includes(CANARY) && !err.message.includes(TOKEN) && !err.message.includes('<'),
            err.message,
          );
          return true;
        },
      );
    } finally {
      override = undefined;
    }
  };
  const onPath =
    (suffix: string, respond: (res: ServerResponse) => void): Handler =>
    (_req, res, url) => {
      if (!url.pathname.endsWith(suffix)) return false;
      respond(res);
      return true;
    };

  test('garbage, wrong digests, foreign links, huge pages and 500s fail in our words', async () => {
    await failsWith(
      onPath('tags/list', (res) => res.end('<html>oops</html>')),
      'bad-reply',
      /sent a tag list that is not JSON$/,
    );
    await failsWith(
      onPath('tags/list', (res) => res.end('{"tags":"1.0.0"}')),
      'bad-reply',
      /without a list of tags$/,
    );
    await failsWith(
      onPath('tags/list', (res) => {
        res.setHeader('link', '<http://localhost:1/v2/o/app/tags/list?last=x>; rel="next"');
        res.end('{"tags":["1.0.0"]}');
      }),
      'bad-reply',
      /next-page link to another place; refused$/,
    );
    await failsWith(
      onPath('tags/list', (res) => res.end(`{"tags":[${'"x",'.repeat(1_200_000)}"y"]}`)),
      'too-large',
      /larger than 4 MiB$/,
    );
    await failsWith(
      onPath('tags/list', (res) =>
        res.end(JSON.stringify({ tags: Array.from({ length: 10_001 }, (_, i) => `t${i}`) })),
      ),
      'too-large',
      /lists more than 10000 tags/,
    );
    await failsWith(
      onPath('manifests/1.1.0', (res) => {
        res.setHeader('docker-content-digest', sha('something else'));
        res.end(one.manifest);
      }),
      'bad-reply',
      /sent a manifest whose digest does not match$/,
    );
    await failsWith(
      onPath('tags/list', (res) => {
        res.statusCode = 500;
        res.end(CANARY);
      }),
      'unreachable',
      /failed to answer \(HTTP 500\)$/,
    );
  });

  test('tags that are not well formed are dropped, never echoed', async () => {
    override = onPath('tags/list', (res) =>
      res.end(JSON.stringify({ tags: ['1.0.0', '1.0.0', '<b>', 'a b', 7, null, 'v1.1.0'] })),
    );
    try {
      const listing = await listOciVersions(query('2.0.0'), ctx({ token: TOKEN }));
      assert.deepEqual(listing.releases, [{ version: '1.0.0' }, { version: 'v1.1.0' }]);
      assert.equal(listing.currentDigest, undefined);
    } finally {
      override = undefined;
    }
  });
});
