/**
 * The status page as a browser gets it: `statusRoutes`' `/` served over real HTTP from a reports
 * folder on disk (shared by the status page tests).
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { statusRoutes } from '../../src/serve/status-routes.js';

export async function fetchStatusPage(reportsRoot: string): Promise<string> {
  const route = statusRoutes({
    ready: () => true,
    reportsRoot: () => reportsRoot,
    recent: () => [],
    remote: 'https://git.example/config.git',
    branch: 'main',
  }).find((r) => r.path === '/')!;
  const server = http.createServer((req, res) => void route.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(res.status, 200);
    return await res.text();
  } finally {
    server.close();
  }
}
