/**
 * The status page as a browser gets it: the status UI's `/` served over real HTTP from a reports
 * folder on disk (shared by the status page tests).
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { createServeUi } from '../../src/serve/ui-routes.js';

export async function fetchStatusPage(reportsRoot: string): Promise<string> {
  const ui = createServeUi({
    ready: () => true,
    checkout: () => path.dirname(reportsRoot),
    reportsDir: () => path.basename(reportsRoot),
    remote: 'https://git.example/config.git',
    branch: 'main',
  });
  const route = ui.routes.find((r) => r.path === '/')!;
  const server = http.createServer((req, res) => void route.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(res.status, 200);
    return await res.text();
  } finally {
    server.close();
    ui.close();
  }
}
