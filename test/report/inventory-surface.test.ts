/**
 * The report keeps a verified surface as names and fingerprints, and the protocol revision: never
 * a description or the instructions' text (a canary in both must not reach the JSON or the
 * Markdown). An unverified, unchanged server carries both forward without churn.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTargetReport } from '../../src/report/build-target-report.js';
import { renderEnvironmentReadme } from '../../src/report/render-report-markdown.js';
import { serializeReport } from '../../src/report/serialize-report.js';
import { summarizeSurface } from '../../src/report/surface-summary.js';
import { buildSurface } from '../../src/surface/fingerprint.js';
import { caseInput, inSync, reportInput } from './report-scenario.js';

const CANARY = 'canary-7f3a9c-do-not-commit';

const surface = buildSurface({
  tools: [
    { name: 'search', description: `Search notes. ${CANARY}`, inputSchema: { type: 'object' } },
    { name: 'add', description: 'Add a note', annotations: { readOnlyHint: false } },
  ],
  instructions: `Always call search first. ${CANARY}`,
  prompts: ['summarize'],
  resourceTemplates: ['note://{id}'],
});
const protocol = {
  protocolVersion: '2026-07-28',
  handshake: 'discover' as const,
  serverInfo: { name: 'notes', version: '1.2.0' },
  capabilities: ['prompts', 'resources', 'tools'],
};
const verification = new Map([
  [
    'memory',
    {
      health: 'healthy' as const,
      toolCount: 2,
      toolsHash: 'f00d',
      surface: summarizeSurface(surface),
      protocol,
      endpoint: 'stdio:node',
    },
  ],
]);

describe('inventory surface and protocol', () => {
  test('names and fingerprints only, in a fixed key order, and the protocol revision', () => {
    const report = buildTargetReport(
      reportInput(caseInput('create-new-target'), { revision: 'rev1', verification }),
    );
    const entry = report.inventory[0]!;
    assert.deepEqual(entry.surface, {
      fingerprint: surface.fingerprint,
      tools: [
        { name: 'add', fingerprint: surface.tools[0]!.fingerprint },
        { name: 'search', fingerprint: surface.tools[1]!.fingerprint },
      ],
      prompts: ['summarize'],
      resourceTemplates: ['note://{id}'],
      instructionsFingerprint: entry.surface?.instructionsFingerprint,
    });
    assert.match(entry.surface?.instructionsFingerprint ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(entry.protocol, protocol);

    const json = serializeReport(report);
    assert.ok(!json.includes(CANARY), 'no description or instructions text in the report');
    assert.ok(!json.includes('Search notes'));
    const at = (key: string) => json.indexOf(`"${key}"`);
    assert.ok(
      at('toolsHash') < at('surface') && at('surface') < at('protocol') && at('protocol') < at('endpoint'),
    );
    assert.ok(at('fingerprint') < at('tools') && at('tools') < at('prompts'));
    assert.ok(
      at('prompts') < at('resourceTemplates') && at('resourceTemplates') < at('instructionsFingerprint'),
    );
    assert.ok(at('protocolVersion') < at('handshake') && at('handshake') < at('serverInfo'));
    assert.ok(at('serverInfo') < at('capabilities'));
    assert.match(json, /"serverInfo": \{\n\s+"name": "notes",\n\s+"version": "1.2.0"\n/);

    const markdown = renderEnvironmentReadme(report.environment, [report]);
    assert.match(markdown, /\| Tools \| Protocol \|/);
    assert.match(markdown, /\| 2 \| 2026-07-28 \|/);
    assert.ok(!markdown.includes(CANARY));
  });

  test('not re-verified and unchanged: both carried forward, byte-identical', () => {
    const input = caseInput('create-new-target');
    const first = buildTargetReport(reportInput(input, { revision: 'rev1', verification }));
    const again = buildTargetReport(reportInput(inSync(input), { revision: 'rev2', previous: first }));
    assert.deepEqual(again.inventory[0]?.surface, first.inventory[0]?.surface);
    assert.deepEqual(again.inventory[0]?.protocol, protocol);
    assert.equal(serializeReport(again), serializeReport(first));
  });
});
