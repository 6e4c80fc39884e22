/** The environment presets shipped in the product's `environments/` folder, by name. */
import * as fs from 'node:fs';
import { productPath } from './product-paths.js';

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
