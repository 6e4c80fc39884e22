/**
 * Tool-description hygiene: find text in a tool surface that is meant for the model rather than
 * for the person approving it. Pure, linear-time, bounded. Used by the built-in policy
 * `tool-description-hygiene` (src/policy/scan-tool-hygiene.ts) on lock files and verified surfaces.
 */
export { describeFinding } from './describe-finding.js';
export { escapeText, excerptAt } from './excerpt.js';
export { type HygieneReport, scanSurface } from './scan-surface.js';
export { scanText } from './scan-text.js';
export {
  EXCERPT_MAX,
  HYGIENE_RULES,
  type HygieneFinding,
  type HygieneRule,
  MAX_FINDINGS_PER_TOOL,
  MAX_SCAN_CHARS,
  type TextPlace,
} from './types.js';
