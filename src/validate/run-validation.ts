/**
 * The one validation pipeline the CLI and the engine call: load → schema → cross-references →
 * templates → policies. Returns diagnostics as data; throws only when the repo cannot be read.
 */
import { type LoadOptions, type LoadResult, loadConfig } from '../config/load-config.js';
import { sortDiagnostics } from '../core/diagnostics.js';
import { validateConfig } from './validate-config.js';

export async function runValidation(options: LoadOptions): Promise<LoadResult> {
  const { config, diagnostics } = await loadConfig(options);
  const checks = validateConfig(config, { loadDiagnostics: diagnostics });
  return { config, diagnostics: sortDiagnostics([...diagnostics, ...checks]) };
}
