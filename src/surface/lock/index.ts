/**
 * The tool-surface lock: one reviewed file per server version in the config repo
 * (`tool-locks/<server>/<version>.yaml`, kind ToolLock). Look one up, render one, check one,
 * compare a live surface with one. The workflow is in docs/tool-locks.md.
 */
export { compareToLock, type LockComparison } from './compare-lock.js';
export { type FoundLock, findLock, toolLocks } from './find-lock.js';
export { type LockProblem, lockProblems } from './lock-integrity.js';
export { LOCK_DIR, lockName, lockPath, lockVersion, UNVERSIONED } from './lock-path.js';
export { type RedactedSurface, redactSurface } from './redact-surface.js';
export { LOCK_SCHEMA_REF, lockResource, renderLock } from './render-lock.js';
