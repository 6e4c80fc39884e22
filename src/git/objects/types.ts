/** Git object kinds, and the error for an object over the size a caller allows (raised before inflating it). */
export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';

export interface ObjectInfo {
  type: ObjectType;
  /** Uncompressed size in bytes, as the object's header declares it. */
  size: number;
}

export interface GitObject {
  type: ObjectType;
  data: Buffer;
}

export class ObjectTooLargeError extends Error {
  constructor(
    readonly oid: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`object ${oid} is ${size} bytes, over the limit of ${limit} bytes`);
    this.name = 'ObjectTooLargeError';
  }
}

export class MissingObjectError extends Error {
  constructor(readonly oid: string) {
    super(`object ${oid} is not in the repository`);
    this.name = 'MissingObjectError';
  }
}

export const TYPE_BY_CODE: Record<number, ObjectType | undefined> = {
  1: 'commit',
  2: 'tree',
  3: 'blob',
  4: 'tag',
};
