/**
 * How a plan names a fleet target (`host: fleet`), the same words in text and Markdown: this
 * reconciler never plans it; the enrolled machines' agents apply it from a signed bundle.
 */
import type { FleetTargetNote } from '../core/plan.js';
import { plural } from './describe-change.js';

/** `Fleet target dev/laptops: 3 servers, applied by enrolled agents`. */
export function fleetTargetLine(note: FleetTargetNote, name = `${note.environment}/${note.target}`): string {
  return `Fleet target ${name}: ${plural(note.servers.length, 'server')}, applied by enrolled agents`;
}
