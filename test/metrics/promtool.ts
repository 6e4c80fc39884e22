/** The real `promtool` (Debian `prometheus`) and a small parser for the exposition text. */
import { spawnSync } from 'node:child_process';

export function promtoolCheckMetrics(text: string): { code: number; output: string } {
  const res = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
  if (res.error) throw res.error;
  return { code: res.status ?? -1, output: `${res.stdout}${res.stderr}` };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Samples of the Prometheus text format (no escapes in our label values beyond plain text). */
export function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** `name{a="x",b="y"}=v` lines of one metric, sorted, for readable assertions. */
export function seriesOf(text: string, name: string): string[] {
  return parseSamples(text)
    .filter((s) => s.name === name)
    .map((s) => {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return `{${labels}} ${s.value}`;
    })
    .sort();
}
