/**
 * A recording GitLab REST API v4 for merge requests, over real HTTP on loopback, in GitLab's own
 * shapes: list a project's MRs by `source_branch` and `state` (`opened|closed|merged|locked|all`,
 * GitLab's default `all`), open one (`POST .../merge_requests`, 409 while another is open for the
 * source branch, `labels` as a comma-separated string or a list), change one (`PUT
 * .../merge_requests/:iid`: title, description, labels, add_labels, state_event). The project is
 * its id or its URL-encoded path (`acme%2Fconfig`); a path with an unencoded `/` is a 404, as on
 * gitlab.com. Like GitLab, the `source_branch` filter also lists merge requests from forks (a
 * different `source_project_id`) whose branch has that name. A request without `PRIVATE-TOKEN` or `Authorization: Bearer` is a 401. MRs live in
 * memory; every request is recorded (method, raw path with query, both auth headers, JSON body) so
 * a test can assert what was asked and that a rerun changes nothing.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedGitLabRequest {
  method: string;
  /** As sent: the project path stays URL-encoded. */
  path: string;
  privateToken?: string;
  authorization?: string;
  body?: Record<string, unknown>;
}

export interface RecordedMergeRequest {
  iid: number;
  project: string;
  sourceBranch: string;
  targetBranch: string;
  title: string;
  description: string;
  state: 'opened' | 'closed' | 'merged';
  labels: string[];
  /** The project the source branch lives in: a fork's id when someone else opened it. */
  sourceProjectId: number;
}

export interface GitLabMergeRequestsApi {
  /** The API base URL to configure (`apiUrl`), ending in /api/v4. */
  url: string;
  requests: RecordedGitLabRequest[];
  mergeRequests: Map<number, RecordedMergeRequest>;
  /** Requests that change something (anything but GET). */
  writes(): RecordedGitLabRequest[];
  /** Close a merge request as a person would in GitLab (not merged). */
  closeMergeRequest(iid: number): void;
  /**
   * A merge request from a fork (another project) whose source branch has the same name: GitLab's
   * `source_branch` filter lists it too. Its text is whatever the fork's owner wrote.
   */
  addForkMergeRequest(mr: {
    sourceBranch: string;
    title: string;
    description: string;
    state: 'opened' | 'closed';
  }): RecordedMergeRequest;
  close(): Promise<void>;
}

const PREFIX = '/api/v4';

function labelList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items
    .filter((l): l is string => typeof l === 'string')
    .map((l) => l.trim())
    .filter(Boolean);
}

export async function startGitLabMergeRequestsApi(
  options: { projectId?: number; project?: string } = {},
): Promise<GitLabMergeRequestsApi> {
  const projectPath = options.project ?? 'acme/config';
  const projectId = String(options.projectId ?? 42);
  const requests: RecordedGitLabRequest[] = [];
  const mergeRequests = new Map<number, RecordedMergeRequest>();
  let next = 1;
  const view = (mr: RecordedMergeRequest) => ({
    id: 1000 + mr.iid,
    iid: mr.iid,
    project_id: Number(projectId),
    source_project_id: mr.sourceProjectId,
    target_project_id: Number(projectId),
    title: mr.title,
    description: mr.description,
    state: mr.state,
    source_branch: mr.sourceBranch,
    target_branch: mr.targetBranch,
    labels: mr.labels,
    web_url: `https://gitlab.example/${mr.project}/-/merge_requests/${mr.iid}`,
    merged_at: mr.state === 'merged' ? '2026-01-01T00:00:00Z' : null,
  });
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const rawPath = req.url ?? '/';
    const url = new URL(rawPath, 'http://x');
    let body: Record<string, unknown> | undefined;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    const privateToken = req.headers['private-token'];
    requests.push({
      method: req.method ?? '',
      path: rawPath,
      ...(typeof privateToken === 'string' ? { privateToken } : {}),
      ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
      ...(body === undefined ? {} : { body }),
    });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (!privateToken && !req.headers.authorization?.startsWith('Bearer '))
      return json(401, { message: '401 Unauthorized' });
    // The project segment is matched before decoding: GitLab wants `group%2Fname`.
    const m = /^\/api\/v4\/projects\/([^/]+)\/merge_requests(?:\/(\d+))?$/.exec(rawPath.split('?')[0] ?? '');
    const project = m ? decodeURIComponent(m[1] as string) : '';
    if (!m || (project !== projectPath && project !== projectId))
      return json(404, { message: '404 Project Not Found' });
    const iid = m[2] === undefined ? undefined : Number(m[2]);
    if (iid === undefined && req.method === 'GET') {
      const branch = url.searchParams.get('source_branch');
      const state = url.searchParams.get('state') ?? 'all';
      const found = [...mergeRequests.values()]
        .filter(
          (mr) => (branch === null || mr.sourceBranch === branch) && (state === 'all' || mr.state === state),
        )
        .sort((a, b) => b.iid - a.iid);
      return json(200, found.map(view));
    }
    if (iid === undefined && req.method === 'POST') {
      const source = String(body?.source_branch ?? '');
      const target = String(body?.target_branch ?? '');
      const title = String(body?.title ?? '');
      if (!source || !target || !title)
        return json(400, { message: 'source_branch, target_branch and title are required' });
      const other = [...mergeRequests.values()].find(
        (mr) =>
          mr.sourceProjectId === Number(projectId) &&
          mr.sourceBranch === source &&
          mr.targetBranch === target &&
          mr.state === 'opened',
      );
      if (other)
        return json(409, {
          message: [`Another open merge request already exists for this source branch: !${other.iid}`],
        });
      const mr: RecordedMergeRequest = {
        iid: next++,
        project: projectPath,
        sourceBranch: source,
        targetBranch: target,
        title,
        description: typeof body?.description === 'string' ? body.description : '',
        state: 'opened',
        labels: labelList(body?.labels),
        sourceProjectId: Number(projectId),
      };
      mergeRequests.set(mr.iid, mr);
      return json(201, view(mr));
    }
    if (iid !== undefined && req.method === 'GET') {
      const mr = mergeRequests.get(iid);
      return mr ? json(200, view(mr)) : json(404, { message: '404 Not found' });
    }
    if (iid !== undefined && req.method === 'PUT') {
      const mr = mergeRequests.get(iid);
      if (!mr) return json(404, { message: '404 Not found' });
      if (typeof body?.title === 'string') mr.title = body.title;
      if (typeof body?.description === 'string') mr.description = body.description;
      if (body?.labels !== undefined) mr.labels = labelList(body.labels);
      for (const l of labelList(body?.add_labels)) if (!mr.labels.includes(l)) mr.labels.push(l);
      if (body?.state_event === 'close' && mr.state === 'opened') mr.state = 'closed';
      if (body?.state_event === 'reopen' && mr.state === 'closed') mr.state = 'opened';
      return json(200, view(mr));
    }
    json(405, { message: '405 Method Not Allowed' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${PREFIX}`,
    requests,
    mergeRequests,
    writes: () => requests.filter((r) => r.method !== 'GET'),
    closeMergeRequest(iid) {
      const mr = mergeRequests.get(iid);
      if (mr) mr.state = 'closed';
    },
    addForkMergeRequest(fork) {
      const mr: RecordedMergeRequest = {
        iid: next++,
        project: projectPath,
        targetBranch: 'main',
        labels: [],
        sourceProjectId: Number(projectId) + 1000,
        ...fork,
      };
      mergeRequests.set(mr.iid, mr);
      return mr;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
