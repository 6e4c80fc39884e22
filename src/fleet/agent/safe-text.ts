/**
 * Text that leaves the laptop in a report (errors from providers, verification, hosts): every
 * registered secret value redacted, control and invisible characters escaped, cut to the cap the
 * hub enforces. One place, so nothing reaches the hub unredacted.
 */
import { redactor } from '../../log/redact.js';
import { escapeInvisible } from '../../surface/render-safe.js';
import { FLEET_LIMITS } from '../protocol.js';

export function reportText(text: string, max: number = FLEET_LIMITS.reasonChars): string {
  const safe = escapeInvisible(redactor.redact(text));
  const chars = [...safe];
  return chars.length <= max ? safe : `${chars.slice(0, max - 1).join('')}…`;
}
