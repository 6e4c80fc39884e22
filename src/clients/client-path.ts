/** Where a client's file lives: under the target's project directory, or under the home directory. */
import * as path from 'node:path';
import type { TargetSpec } from '../core/resources.js';
import { expandTilde } from '../hosts/local-host.js';
import type { PathContext } from './types.js';

export function projectDir(target: Pick<TargetSpec, 'projectDir'>, ctx: PathContext): string | undefined {
  return target.projectDir ? path.resolve(ctx.home, expandTilde(target.projectDir, ctx.home)) : undefined;
}

/** `<projectDir>/<projectFile>` when the target has a project directory, else `<home>/<userFile>`. */
export function scopedPath(
  target: Pick<TargetSpec, 'projectDir'>,
  ctx: PathContext,
  projectFile: string,
  userFile: string,
): string {
  const dir = projectDir(target, ctx);
  return dir ? path.join(dir, projectFile) : path.join(ctx.home, userFile);
}
