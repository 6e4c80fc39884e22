/**
 * Which ref names may be looked up at all. A ref name arrives from the command line (`--rev`,
 * `rollback --to`) and from saved plans, and the native resolver joins it onto the git folder to
 * read a file: a name git's `check-ref-format --allow-onelevel` refuses is refused here, before any
 * path is built, so `../../etc/passwd` or `refs/heads/../../x` can never read outside the git dir.
 */

/** Control characters, DEL, and the characters git reserves for revision syntax and globs. */
const FORBIDDEN_CHARS = /[\x00-\x20\x7f~^:?*[\\]/;

/**
 * git check-ref-format's rules (with --allow-onelevel, since `main` and `HEAD` are looked up by
 * their short names): no component that is empty, starts with `.` or ends with `.lock`; no `..`,
 * no `@{`, not `@` alone, no trailing `.`, no leading or trailing `/`, no control characters,
 * space, `~ ^ : ? * [ \`.
 */
export function isValidRefName(name: string): boolean {
  if (name === '' || name === '@') return false;
  if (FORBIDDEN_CHARS.test(name)) return false;
  if (name.includes('..') || name.includes('@{')) return false;
  if (name.endsWith('.')) return false;
  for (const component of name.split('/')) {
    if (component === '' || component.startsWith('.') || component.endsWith('.lock')) return false;
  }
  return true;
}
