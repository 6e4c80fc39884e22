/**
 * What the remote config repo's server answers, as the push code reads it: its refs (each with the
 * commit an annotated tag peels to) and a push it refused because the ref moved. Shared by the
 * branch push (remote-config-repo.ts) and the tag push (push-tags.ts).
 */

export interface RemoteRef {
  oid: string;
  /** For an annotated tag: the commit it points at. */
  peeled?: string;
}

/** A push refused because the remote branch moved (client-side check or the server's answer). */
export function isRejection(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === 'PushRejectedError' || code === 'GitPushError';
}
