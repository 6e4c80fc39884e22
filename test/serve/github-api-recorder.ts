/**
 * A small GitHub REST API for tests: the issue-comment endpoints serve uses, over real HTTP,
 * keeping comments in memory and recording every request (method, path, auth, body).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: { body?: string };
}

export interface GitHubApiRecorder {
  url: string;
  requests: RecordedRequest[];
  comments: Map<number, { id: number; issue: string; body: string }>;
  close(): Promise<void>;
}

export async function startGitHubApi(): Promise<GitHubApiRecorder> {
  const requests: RecordedRequest[] = [];
  const comments = new Map<number, { id: number; issue: string; body: string }>();
  let nextId = 101;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const body = raw ? (JSON.parse(raw) as { body?: string }) : undefined;
    requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      body,
    });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const list = /^\/api\/v3\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const one = /^\/api\/v3\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (list && req.method === 'GET') {
      const issue = `${list[1]}#${list[2]}`;
      // One unrelated comment first, as a real PR has.
      return json(200, [
        { id: 1, body: 'LGTM' },
        ...[...comments.values()].filter((c) => c.issue === issue).map((c) => ({ id: c.id, body: c.body })),
      ]);
    }
    if (list && req.method === 'POST') {
      const c = { id: nextId++, issue: `${list[1]}#${list[2]}`, body: body?.body ?? '' };
      comments.set(c.id, c);
      return json(201, { id: c.id, body: c.body });
    }
    if (one && req.method === 'PATCH') {
      const c = comments.get(Number(one[1]));
      if (!c) return json(404, { message: 'Not Found' });
      c.body = body?.body ?? '';
      return json(200, { id: c.id, body: c.body });
    }
    json(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v3`,
    requests,
    comments,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
