/**
 * The native git readers (refs, commits, trees) answer the cases a config repo has; anything else
 * (a pseudo ref such as FETCH_HEAD, a ref file that holds neither an oid nor `ref: `, an unusual
 * tree entry, an object they cannot read) they refuse by throwing, and the caller asks
 * isomorphic-git instead, so the answer is always the one isomorphic-git gave before.
 */
export class NotHandledError extends Error {
  constructor(reason: string) {
    super(`not handled natively: ${reason}`);
    this.name = 'NotHandledError';
  }
}

/** `native()`'s answer, or, when it throws, what isomorphic-git's `fallback()` answers. */
export async function nativeOr<T>(native: () => T, fallback: () => Promise<T>): Promise<T> {
  let answer: T;
  try {
    answer = native();
  } catch {
    return fallback();
  }
  return answer;
}
