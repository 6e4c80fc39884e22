/**
 * A diagnostic is validation's output: data, never an exception. Rendered as
 * `FILE:LINE:COL: error: MESSAGE [rule]` (DESIGN.md §5), as JSON, or as GitHub Actions annotations.
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Repo-relative, POSIX separators. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  severity: Severity;
  message: string;
  /** Stable rule id, e.g. `schema`, `yaml-syntax`, `duplicate-name`, `policy/no-plaintext-secrets`. */
  rule: string;
}

export type DiagnosticFormat = 'text' | 'json' | 'github';

/** Deterministic order: file, line, col, rule, message. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.col - b.col ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message} [${d.rule}]`;
}

function escapeGithubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatDiagnostics(diags: readonly Diagnostic[], format: DiagnosticFormat): string {
  const sorted = sortDiagnostics(diags);
  switch (format) {
    case 'json':
      return `${JSON.stringify(
        {
          valid: !sorted.some((d) => d.severity === 'error'),
          errors: sorted.filter((d) => d.severity === 'error').length,
          warnings: sorted.filter((d) => d.severity === 'warning').length,
          diagnostics: sorted,
        },
        null,
        2,
      )}\n`;
    case 'github':
      return sorted
        .map(
          (d) =>
            `::${d.severity} file=${escapeGithubProperty(d.file)},line=${d.line},col=${d.col},title=${escapeGithubProperty(d.rule)}::${escapeGithubData(d.message)}\n`,
        )
        .join('');
    default:
      return sorted.map((d) => `${formatDiagnostic(d)}\n`).join('');
  }
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}
