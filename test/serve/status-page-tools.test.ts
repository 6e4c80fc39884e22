/**
 * The status page's Tool surfaces section, served over real HTTP from report files on disk:
 * quarantined servers with why, servers whose surface differs from the lock, and everything
 * escaped (a report's text came from a target once).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { fetchStatusPage } from './status-page.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-status-tools-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const page = () => fetchStatusPage(root);

test('no tool surface trouble: the section says so', async () => {
  assert.match(await page(), /<h2>Tool surfaces<\/h2>[\s\S]*every verified surface matches its lock/);
});

test('quarantined and changed servers are listed with why, escaped', async () => {
  fs.mkdirSync(path.join(root, 'prod'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'prod', 'vm.json'),
    JSON.stringify({
      conditions: [{ type: 'Stalled', status: 'True', reason: 'Quarantined', message: 'files: quarantined' }],
      inventory: [{ server: 'notes', health: 'healthy', toolsChanged: ['echo', '"<script>x</script>"'] }],
      lastApply: [
        {
          server: 'files',
          action: 'delete',
          outcome: 'rolled-back',
          quarantined: true,
          message:
            'verification failed: tool surface differs from tool-locks/files/1.0.0.yaml: add; quarantined',
        },
      ],
    }),
  );
  const html = await page();
  assert.match(
    html,
    /<tr><td>prod<\/td><td>vm<\/td><td>files<\/td><td class="unhealthy">quarantined<\/td><td>verification failed: tool surface differs from tool-locks\/files\/1\.0\.0\.yaml: add; quarantined<\/td><\/tr>/,
  );
  assert.match(
    html,
    /<td>notes<\/td><td class="starting">tools changed<\/td><td>differs from the lock: echo, &#34;&#60;script&#62;/,
  );
  assert.doesNotMatch(html, /<script>/);
});
