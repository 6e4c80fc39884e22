/**
 * re2js (RE2 in pure JavaScript, ~260 KB), the linear-time engine policy patterns run on
 * (linear-regexp.ts). Loaded on first use, that is only for a repo with its own policies.
 */
import { createRequire } from 'node:module';

type Re2Module = typeof import('re2js');
export type Re2 = import('re2js').RE2JS;

let re2Module: Re2Module | undefined;
export function re2(): Re2Module {
  re2Module ??= createRequire(import.meta.url)('re2js') as Re2Module;
  return re2Module;
}
