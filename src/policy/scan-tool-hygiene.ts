/**
 * The built-in policy `tool-description-hygiene` on the config repo: every ToolLock's surface
 * (tool names, titles, descriptions, schema descriptions, instructions) scanned by
 * src/surface/hygiene/, each finding at the FILE:LINE:COL of the text in the lock file, so the
 * person about to approve a poisoned description sees where it is. Only a short escaped excerpt
 * of the text is shown.
 */
import type { ConfigSet } from '../core/config-set.js';
import { describeFinding, scanSurface } from '../surface/hygiene/index.js';
import { toolLocks } from '../surface/lock/index.js';
import type { ToolSurface } from '../surface/types.js';

export interface HygieneDiagnosticFinding {
  file: string;
  line: number;
  col: number;
  message: string;
}

export function scanToolHygiene(config: Pick<ConfigSet, 'documents'>): HygieneDiagnosticFinding[] {
  const out: HygieneDiagnosticFinding[] = [];
  for (const doc of toolLocks(config)) {
    const spec = doc.value?.spec;
    if (!spec || typeof spec.surface !== 'object' || spec.surface === null) continue;
    const server = typeof spec.server === 'string' ? spec.server : doc.name;
    const report = scanSurface(server, spec.surface as ToolSurface);
    for (const finding of report.findings) {
      const at = doc.locate(['spec', 'surface', ...finding.path]);
      out.push({ file: at.file, line: at.line, col: at.col, message: describeFinding(finding) });
    }
    for (const tool of report.truncated) {
      const index = spec.surface.tools.findIndex((t) => t?.name === tool);
      const at = doc.locate(index >= 0 ? ['spec', 'surface', 'tools', index] : ['spec', 'surface']);
      const what = index >= 0 ? 'this tool' : 'the instructions, prompts and templates';
      out.push({
        file: at.file,
        line: at.line,
        col: at.col,
        message: `more findings in ${what} than are listed; review all of its text`,
      });
    }
  }
  return out;
}
