/** Golden tests for `reports/<env>/README.md` and `reports/README.md` (`UPDATE_GOLDEN=1` rewrites). */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { TargetReport } from '../../src/core/report.js';
import { renderEnvironmentReadme, renderReportsIndex } from '../../src/report/render-report-markdown.js';
import { sampleReports } from './report-scenario.js';

const GOLDEN = new URL('./golden/', import.meta.url).pathname;

function reports(): TargetReport[] {
  const { rolledBack, vm, stagingLaptop } = sampleReports();
  return [{ ...rolledBack, facts: { clients: 'claude-code, cursor' } }, vm, stagingLaptop];
}

function golden(file: string, actual: string): void {
  const path = join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  else if (!existsSync(path)) assert.fail(`${path} is missing: run with UPDATE_GOLDEN=1 and review it`);
  else assert.equal(actual, readFileSync(path, 'utf8'), `${file} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

describe('report Markdown', () => {
  test('environment README', () => {
    const all = reports();
    golden(
      'environment-dev.md',
      renderEnvironmentReadme(
        'dev',
        all.filter((r) => r.environment === 'dev'),
      ),
    );
    golden(
      'environment-staging.md',
      renderEnvironmentReadme(
        'staging',
        all.filter((r) => r.environment === 'staging'),
      ),
    );
  });

  test('reports index', () => {
    golden('index.md', renderReportsIndex(reports()));
    golden('index-empty.md', renderReportsIndex([]));
  });

  test('no timestamps and the same bytes every time', () => {
    const text = renderReportsIndex(reports());
    assert.equal(renderReportsIndex(reports()), text);
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T/);
  });
});
