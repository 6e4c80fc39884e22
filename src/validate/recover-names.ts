/**
 * Names a file that failed to parse probably defines. Checks for dangling references treat them as
 * existing, so one YAML typo yields one error, not one more per reference to what it defines
 * (as a compiler stops cascading errors). Errs on the side of knowing too many names.
 */
import type { ConfigSet } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';

const NAME = /\bname\s*:\s*["']?([a-z0-9]([-a-z0-9]*[a-z0-9])?)["']?\s*(?=$|[,}#\n])/gm;

export function recoverNames(config: ConfigSet, loadDiagnostics: readonly Diagnostic[]): string[] {
  const broken = new Set(loadDiagnostics.map((d) => d.file));
  const names: string[] = [];
  for (const file of config.files) {
    if (!broken.has(file.path)) continue;
    for (const m of file.text.matchAll(NAME)) names.push(m[1]);
  }
  return names;
}
