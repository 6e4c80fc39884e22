/**
 * Machine ids are made by the hub at enrolment and name files (`revoked/<id>`), so they have one
 * fixed shape that can never be a path: `m-` and 24 hex characters.
 */
import * as crypto from 'node:crypto';

const MACHINE_ID = /^m-[0-9a-f]{24}$/;

export function newMachineId(): string {
  return `m-${crypto.randomBytes(12).toString('hex')}`;
}

export function isMachineId(value: unknown): value is string {
  return typeof value === 'string' && MACHINE_ID.test(value);
}
