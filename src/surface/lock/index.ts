/**
 * The tool-surface lock: one reviewed file per server version in the config repo
 * (`tool-locks/<server>/<version>.yaml`, kind ToolLock). Look one up, render one, check one.
 * The workflow is in docs/tool-locks.md.
 */
export { type FoundLock, findLock, toolLocks } from './find-lock.js';
export { type LockProblem, lockProblems } from './lock-integrity.js';
export { LOCK_DIR, lockName, lockPath, lockVersion, UNVERSIONED } from './lock-path.js';
export { LOCK_SCHEMA_REF, lockResource, renderLock } from './render-lock.js';
