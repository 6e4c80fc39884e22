/**
 * The status page's Fleet section, served over real HTTP from aggregate files on disk as the hub
 * commits them: counts per fleet target, a halted rollout with its reason (escaped: a reason names
 * servers and waves the config chose), and a file that is not an aggregate named, not shown.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { renderAggregate } from '../../src/fleet/aggregate/render.js';
import { fetchStatusPage } from './status-page.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-status-fleet-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const page = () => fetchStatusPage(root);

test('no fleet aggregates: no Fleet section', async () => {
  assert.doesNotMatch(await page(), /<h2>Fleet<\/h2>/);
});

test('a halted rollout shows its counts and why, escaped; a stray file is named', async () => {
  fs.mkdirSync(path.join(root, 'dev', 'fleet'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'dev', 'fleet', 'laptops.json'),
    renderAggregate({
      environment: 'dev',
      target: 'laptops',
      machines: 20,
      inSync: 18,
      drifted: 0,
      failing: 2,
      stale: 0,
      pending: 0,
      byDigest: {},
      rollout: {
        state: 'halted',
        wave: 0,
        waves: [0.1, 0.5, 1],
        reason: 'wave 0 (10%): 2 of 2 machines failing verification <script>',
      },
    }),
  );
  fs.writeFileSync(path.join(root, 'dev', 'fleet', 'broken.json'), '{"not":"an aggregate"}');
  const html = await page();
  const section = html.slice(html.indexOf('<h2>Fleet</h2>'), html.indexOf('<h2>Tool surfaces</h2>'));
  assert.match(
    section,
    /<td>dev<\/td><td>laptops<\/td><td>20<\/td><td class="healthy">18<\/td><td>0<\/td><td class="unhealthy">2<\/td>/,
  );
  assert.match(
    section,
    /halted<\/span>: wave 0 \(10%\): 2 of 2 machines failing verification &#60;script&#62;/,
  );
  assert.match(section, /waves 10%, 50%, 100%/);
  assert.match(section, /dev\/fleet\/broken\.json: not a fleet aggregate/);
  assert.doesNotMatch(html, /<script>/);
  // The aggregate folder is not a target: no target row named "fleet".
  assert.doesNotMatch(html, /<td>dev<\/td><td>fleet<\/td>/);
});
