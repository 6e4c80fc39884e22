/**
 * `--labels team=platform,site=berlin` for `fleet token create`: what a machine enrolled with the
 * token is labelled (target selectors match on these). `os` and `arch` are refused: they are the
 * built-in labels the machine's own facts set.
 */
import { McpGitopsError } from '../../core/errors.js';

const KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]{0,62})$/;
const VALUE = /^[A-Za-z0-9._-]{0,63}$/;
const BUILT_IN = new Set(['os', 'arch']);

export function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of (text ?? '').split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? undefined : part.slice(eq + 1);
    if (value === undefined || !KEY.test(key) || !VALUE.test(value))
      throw new McpGitopsError('ERR_USAGE', `--labels ${JSON.stringify(part)} is not KEY=VALUE`, {
        hint: 'e.g. --labels team=platform,site=berlin (letters, digits, . _ - in both; / also in keys)',
      });
    if (BUILT_IN.has(key))
      throw new McpGitopsError('ERR_USAGE', `--labels ${key} is a built-in label`, {
        hint: "os and arch come from the machine's own facts at enrolment",
      });
    if (key in labels) throw new McpGitopsError('ERR_USAGE', `--labels names ${key} twice`);
    labels[key] = value;
  }
  return labels;
}
