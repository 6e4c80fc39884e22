/**
 * The report templates precompiled at build time (scripts/precompile-report-templates.mjs, the
 * module scripts/build.mjs puts into dist/) render the same bytes as the templates compiled from
 * source, which is what the sources under tsx run: real target reports of several shapes
 * (applied, rolled back, stalled, starting, suspended, retired, drift, findings, text that HTML
 * would escape), the index of them, and the empty index. Strict mode and the refusal of prototype
 * properties hold in both.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  precompiledTemplatesModule,
  REPORT_COMPILE_OPTIONS,
  REPORT_TEMPLATES,
} from '../../scripts/precompile-report-templates.mjs';
import type { TargetReport } from '../../src/core/report.js';
import { buildTargetReport } from '../../src/report/build-target-report.js';
import {
  createReportTemplate,
  type ReportTemplate,
  REPORT_COMPILE_OPTIONS as SOURCE_COMPILE_OPTIONS,
  type TemplateName,
} from '../../src/report/load-template.js';
import { environmentView } from '../../src/report/report-view.js';
import { caseInput, reportInput, sampleReports } from './report-scenario.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Every character Handlebars escapes in HTML mode: the reports must keep them as they are. */
const HTML = `<b>a & b</b> "quoted" 'single' \`tick\` x=y`;

function reports(): TargetReport[] {
  const { laptop, rolledBack, vm, stagingLaptop } = sampleReports(`; ${HTML}`);
  const suspendedInput = caseInput('suspended');
  const suspended = buildTargetReport(reportInput(suspendedInput, { revision: 'd4e5f6a7b8' }));
  const drifted = buildTargetReport(reportInput(caseInput('drift-detect'), { revision: 'e5f6a7b8c9' }));
  return [
    {
      ...rolledBack,
      facts: { clients: 'claude-code, cursor', note: HTML },
      findings: [
        {
          file: '~/.cursor/mcp.json',
          client: 'cursor',
          entry: 'github',
          path: 'env.GITHUB_TOKEN',
          reason: 'looks like a GitHub personal access token (ghp_)',
        },
      ],
    },
    vm,
    stagingLaptop,
    { ...suspended, environment: 'paused', suspended: { reason: HTML } },
    { ...drifted, environment: 'watched' },
    {
      ...laptop,
      environment: 'gone',
      target: 'old-laptop',
      retired: { revision: 'f6a7b8c9d0', environmentRemoved: true, prune: false },
    },
  ];
}

/** The views the Markdown pages are rendered from, as render-report-markdown.ts makes them. */
function views(): { name: TemplateName; view: object }[] {
  const all = reports();
  const names = [...new Set(all.map((r) => r.environment))].sort();
  const envViews = names.map((env) =>
    environmentView(
      env,
      all.filter((r) => r.environment === env),
    ),
  );
  return [
    ...envViews.map((view) => ({ name: 'environment-report.md.hbs' as const, view })),
    { name: 'reports-index.md.hbs', view: { environments: envViews } },
    { name: 'reports-index.md.hbs', view: { environments: [] } },
  ];
}

type Pair = { precompiled: ReportTemplate; compiled: ReportTemplate };
const templates = new Map<TemplateName, Pair>();
const dir = mkdtempSync(join(tmpdir(), 'mcp-gitops-precompiled-'));
after(() => rmSync(dir, { recursive: true, force: true }));

before(async () => {
  // The module exactly as scripts/build.mjs bundles it, imported as a file.
  const file = join(dir, 'precompiled-templates.mjs');
  writeFileSync(file, precompiledTemplatesModule(ROOT));
  const { precompiledTemplates } = (await import(pathToFileURL(file).href)) as {
    precompiledTemplates: Record<TemplateName, TemplateSpecification>;
  };
  for (const name of REPORT_TEMPLATES as TemplateName[]) {
    templates.set(name, {
      precompiled: createReportTemplate({ spec: precompiledTemplates[name] }),
      compiled: createReportTemplate({ source: readFileSync(join(ROOT, 'templates', name), 'utf8') }),
    });
  }
});

function both(name: TemplateName): Pair {
  const pair = templates.get(name);
  assert.ok(pair, `${name} is precompiled`);
  return pair;
}

describe('report templates precompiled at build time', () => {
  test('they are every template the product ships, compiled with the options the sources use', () => {
    assert.deepEqual(
      [...REPORT_TEMPLATES].sort(),
      readdirSync(join(ROOT, 'templates'))
        .filter((f) => f.endsWith('.md.hbs'))
        .sort(),
    );
    assert.deepEqual(REPORT_COMPILE_OPTIONS, SOURCE_COMPILE_OPTIONS);
  });

  test('the same Markdown as the templates compiled from source, byte for byte', () => {
    const rendered = views();
    assert.equal(rendered.length, 7, 'five environments, the index, the empty index');
    for (const { name, view } of rendered) {
      const { precompiled, compiled } = both(name);
      const text = compiled(view);
      assert.equal(precompiled(view), text, name);
      assert.ok(text.length > 100, `${name} renders something`);
    }
    const dev = both('environment-report.md.hbs').precompiled(rendered[0]!.view);
    assert.ok(dev.includes(`a & b&lt;/b&gt; "quoted" 'single' \`tick\` x=y`), 'not HTML-escaped (noEscape)');
    assert.ok(dev.includes('### Plaintext secrets'), 'findings');
    const index = both('reports-index.md.hbs').precompiled(rendered[5]!.view);
    for (const env of ['dev', 'gone', 'paused', 'staging', 'watched'])
      assert.ok(index.includes(`## [${env}](${env}/README.md)`), env);
  });

  test('strict in both: a view missing a field is an error naming it', () => {
    const { summary: _, ...noSummary } = environmentView('dev', reports().slice(0, 1));
    const missing: { name: TemplateName; view: object }[] = [
      { name: 'environment-report.md.hbs', view: noSummary },
      { name: 'reports-index.md.hbs', view: { environments: [noSummary] } },
    ];
    for (const { name, view } of missing) {
      const { precompiled, compiled } = both(name);
      const errors = [precompiled, compiled].map((run) => {
        try {
          run(view);
          return 'rendered';
        } catch (err) {
          return (err as Error).message;
        }
      });
      assert.match(errors[0]!, /"summary" not defined/, name);
      assert.equal(errors[1], errors[0], name);
    }
  });

  test('prototype properties are refused in both: an inherited field renders empty', () => {
    const { summary: _, ...own } = environmentView('dev', reports().slice(0, 1));
    const inherited = Object.assign(Object.create({ summary: 'FROM-PROTOTYPE' }) as object, own);
    const { precompiled, compiled } = both('environment-report.md.hbs');
    const text = compiled(inherited);
    assert.equal(precompiled(inherited), text);
    assert.ok(!text.includes('FROM-PROTOTYPE'), text);
    assert.ok(text.includes('\n****\n'), 'the summary line is there, empty');
  });
});
