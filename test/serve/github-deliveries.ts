/** Signed deliveries in GitHub's real payload shapes (@octokit/webhooks-examples), sent over HTTP. */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';

export function example(name: string, action?: string): Record<string, unknown> {
  const def = (examples as unknown as { name: string; examples: Record<string, unknown>[] }[]).find(
    (d) => d.name === name,
  );
  const found = def?.examples.find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`no example for ${name} ${action ?? ''}`);
  return structuredClone(found);
}

/** A push example moved to `branch` at `after`, with one ordinary commit. */
export function pushPayload(
  branch: string,
  after: string,
  message = 'config change',
): Record<string, unknown> {
  const p = example('push');
  p.ref = `refs/heads/${branch}`;
  p.after = after;
  p.deleted = false;
  p.head_commit = { ...(p.head_commit as object), id: after, message };
  p.commits = [
    { ...(p.head_commit as object), message, added: [], removed: [], modified: ['servers/memory.yaml'] },
  ];
  return p;
}

export interface Delivery {
  event: string;
  payload: unknown;
  id?: string;
  /** 'good' (default), 'none' (no header), 'bad' (signed with another secret). */
  signature?: 'good' | 'none' | 'bad';
  rawBody?: string;
}

export function deliverer(url: string, secret: string) {
  const good = new Webhooks({ secret });
  const bad = new Webhooks({ secret: `${secret}-wrong` });
  return async (d: Delivery): Promise<{ status: number; text: string; id: string }> => {
    const body = d.rawBody ?? JSON.stringify(d.payload);
    const id = d.id ?? randomUUID();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-github-event': d.event,
      'x-github-delivery': id,
      'user-agent': 'GitHub-Hookshot/test',
    };
    if (d.signature !== 'none')
      headers['x-hub-signature-256'] = await (d.signature === 'bad' ? bad : good).sign(body);
    return { ...(await post(`${url}/hooks/github`, headers, body)), id };
  };
}

/**
 * One POST on a connection of its own, as GitHub delivers: a pooled keep-alive connection can be
 * closed by the server's keep-alive timeout just as a delivery is written on it (fetch then fails
 * with "other side closed"), which says nothing about serve and only happens on a loaded machine.
 */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
