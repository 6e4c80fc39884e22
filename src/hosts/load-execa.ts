/**
 * execa, loaded on first use: it is about 100 modules, and `validate` and `plan` on local
 * targets never start a command through it.
 */
import type * as Execa from 'execa';

export async function loadExeca(): Promise<typeof Execa.execa> {
  return (await import('execa')).execa;
}
