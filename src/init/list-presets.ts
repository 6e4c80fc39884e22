/** The environment presets shipped in the product's `environments/` folder, by name. */
import * as fs from 'node:fs';
import { productPath } from './product-paths.js';

/** The preset `init` uses when none is given (here, not in init-repo.ts, so the CLI's option help
 * can name it without loading the scaffold writer). */
export const DEFAULT_PRESET = 'laptop';

export function presetsDir(): string {
  return productPath('environments');
}

/** Preset names (file names without `.yaml`), sorted. */
export function listPresets(dir: string = presetsDir()): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}
