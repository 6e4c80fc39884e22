/**
 * Apply one change to a client-config target on its own — a rollback after a failed
 * verification, a quarantine, a stop: a batch of one (apply-batch.ts). The server's pinned package
 * is fetched into the host's cache (prefetch.ts), its entry written into every client file of the
 * target (and taken out of files of clients the target no longer lists), or removed on delete;
 * then it is recorded in the inventory. A package that cannot be fetched fails the change before
 * any file is written. Every file is parsed before any is written, so a file that is not valid
 * JSON/TOML fails the change and nothing is touched. Never throws.
 */
import type { Change } from '../../core/plan.js';
import type { ChangeResult } from '../../core/report.js';
import type { ProviderContext } from '../types.js';
import { ClientApplyBatch } from './apply-batch.js';

export async function applyClientChange(ctx: ProviderContext, change: Change): Promise<ChangeResult> {
  const batch = await ClientApplyBatch.open(ctx);
  const result = await batch.apply(change);
  if (result.outcome !== 'applied') return result;
  const failed = (await batch.commit()).get(change.server);
  return failed === undefined ? result : { ...result, outcome: 'failed', message: failed };
}
