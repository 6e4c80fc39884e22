/**
 * How long `--verify-new` may take: a first start of an npm or PyPI package fills an empty cache
 * in the scratch HOME, which alone can take half a minute, so one server gets a minute and all of
 * them together three (the CLI raises the total with its per-server flag).
 */
export const DEFAULT_VERIFY_NEW_SERVER_MS = 60_000;
export const DEFAULT_VERIFY_NEW_TOTAL_MS = 180_000;
