/**
 * A recording GitHub REST API for pull requests, over real HTTP on loopback: list a branch's pull
 * requests (`GET /repos/{o}/{r}/pulls?head=o:branch&state=all`), open one, PATCH its title and
 * body, add labels (issues API). Pull requests live in memory; every request is recorded (method,
 * path with query, Authorization, JSON body) so a test can assert what was asked and that a rerun
 * changes nothing. `prefix` is `''` for api.github.com's shape or `/api/v3` for GitHub Enterprise.
 * (test/serve/github-api-recorder.ts is the issue-comments API serve uses.)
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedApiRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: Record<string, unknown>;
}

export interface RecordedPullRequest {
  number: number;
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  merged: boolean;
  labels: string[];
}

export interface GitHubPullsApi {
  /** The API base URL to configure (`apiUrl`). */
  url: string;
  requests: RecordedApiRequest[];
  pulls: Map<number, RecordedPullRequest>;
  /** Requests that change something (anything but GET). */
  writes(): RecordedApiRequest[];
  /** Close a pull request as a person would on github.com (not merged). */
  closePull(number: number): void;
  close(): Promise<void>;
}

export async function startGitHubPullsApi(
  options: {
    prefix?: string /** Answer 403 to label requests, as a token without issues:write gets. */;
    refuseLabels?: boolean;
  } = {},
): Promise<GitHubPullsApi> {
  const prefix = options.prefix ?? '';
  const requests: RecordedApiRequest[] = [];
  const pulls = new Map<number, RecordedPullRequest>();
  let next = 1;
  const view = (pr: RecordedPullRequest, base: string) => ({
    number: pr.number,
    html_url: `https://github.example/${pr.repo}/pull/${pr.number}`,
    url: `${base}/repos/${pr.repo}/pulls/${pr.number}`,
    state: pr.state,
    merged_at: pr.merged ? '2026-01-01T00:00:00Z' : null,
    title: pr.title,
    body: pr.body,
    head: { ref: pr.head, label: `${pr.repo.split('/')[0]}:${pr.head}` },
    base: { ref: pr.base },
    labels: pr.labels.map((name) => ({ name })),
  });
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    let body: Record<string, unknown> | undefined;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
      ...(body === undefined ? {} : { body }),
    });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const apiBase = `http://${req.headers.host}${prefix}`;
    if (!url.pathname.startsWith(`${prefix}/repos/`)) return json(404, { message: 'Not Found' });
    const rest = url.pathname.slice(prefix.length);
    const list = /^\/repos\/([^/]+\/[^/]+)\/pulls$/.exec(rest);
    const one = /^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)$/.exec(rest);
    const labels = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/labels$/.exec(rest);
    if (!req.headers.authorization?.startsWith('Bearer '))
      return json(401, { message: 'Requires authentication' });
    if (list && req.method === 'GET') {
      const repo = list[1] as string;
      const head = url.searchParams.get('head') ?? '';
      const state = url.searchParams.get('state') ?? 'open';
      const owner = repo.split('/')[0];
      const found = [...pulls.values()]
        .filter(
          (p) => p.repo === repo && `${owner}:${p.head}` === head && (state === 'all' || p.state === state),
        )
        .sort((a, b) => b.number - a.number);
      return json(
        200,
        found.map((p) => view(p, apiBase)),
      );
    }
    if (list && req.method === 'POST') {
      const repo = list[1] as string;
      const head = String(body?.head ?? '');
      if ([...pulls.values()].some((p) => p.repo === repo && p.head === head && p.state === 'open')) {
        return json(422, { message: `A pull request already exists for ${head}.` });
      }
      const pr: RecordedPullRequest = {
        number: next++,
        repo,
        head,
        base: String(body?.base ?? ''),
        title: String(body?.title ?? ''),
        body: String(body?.body ?? ''),
        state: 'open',
        merged: false,
        labels: [],
      };
      pulls.set(pr.number, pr);
      return json(201, view(pr, apiBase));
    }
    if (one && req.method === 'PATCH') {
      const pr = pulls.get(Number(one[2]));
      if (!pr || pr.repo !== one[1]) return json(404, { message: 'Not Found' });
      if (typeof body?.title === 'string') pr.title = body.title;
      if (typeof body?.body === 'string') pr.body = body.body;
      if (body?.state === 'open' || body?.state === 'closed') pr.state = body.state;
      return json(200, view(pr, apiBase));
    }
    if (labels && req.method === 'POST' && options.refuseLabels) {
      return json(403, { message: 'Resource not accessible by integration' });
    }
    if (labels && req.method === 'POST') {
      const pr = pulls.get(Number(labels[2]));
      if (!pr) return json(404, { message: 'Not Found' });
      for (const l of (body?.labels as unknown[]) ?? [])
        if (typeof l === 'string' && !pr.labels.includes(l)) pr.labels.push(l);
      return json(
        200,
        pr.labels.map((name) => ({ name })),
      );
    }
    json(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    pulls,
    writes: () => requests.filter((r) => r.method !== 'GET'),
    closePull(number) {
      const pr = pulls.get(number);
      if (pr) pr.state = 'closed';
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
