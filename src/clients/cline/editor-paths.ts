/**
 * Where VS Code and its forks keep per-user files: the app's data folder (`~/.config/<App>` on
 * Linux, `~/Library/Application Support/<App>` on macOS, `%APPDATA%\<App>` on Windows), its
 * `User` folder, and the `User/globalStorage/<extension id>/` folder each extension writes to.
 * Shared by the editor-family adapters (Cline, Roo Code, Kilo Code, VS Code Insiders, Trae, Qoder).
 */
import * as path from 'node:path';
import { projectDir } from '../client-path.js';
import type { ClientAdapter, PathContext } from '../types.js';

/** `<app data folder>/<app>` for this platform, e.g. `~/.config/Code`. */
export function appDataDir(ctx: PathContext, app: string): string {
  switch (ctx.platform) {
    case 'darwin':
      return path.join(ctx.home, 'Library', 'Application Support', app);
    case 'win32':
      return path.join(ctx.home, 'AppData', 'Roaming', app);
    default:
      return path.join(ctx.home, '.config', app);
  }
}

/** A file in the settings folder of a VS Code extension's global storage (VS Code stable). */
export function extensionSettingsFile(ctx: PathContext, extension: string, file: string): string {
  return path.join(appDataDir(ctx, 'Code'), 'User', 'globalStorage', extension, 'settings', file);
}

type PathOf = ClientAdapter['path'];

/** `<projectDir>/<projectFile>` with a project directory (and a project file), else `userFile(ctx)`. */
function projectOr(projectFile: string | undefined, userFile: (ctx: PathContext) => string): PathOf {
  return (target, ctx) => {
    const dir = projectFile ? projectDir(target, ctx) : undefined;
    return dir && projectFile ? path.join(dir, projectFile) : userFile(ctx);
  };
}

/** The project file, else `<app data folder>/<app>/<file…>`. */
export function projectOrAppFile(projectFile: string | undefined, app: string, ...file: string[]): PathOf {
  return projectOr(projectFile, (ctx) => path.join(appDataDir(ctx, app), ...file));
}

/** The project file, else `<file>` in a VS Code extension's global storage settings folder. */
export function projectOrExtensionFile(
  projectFile: string | undefined,
  extension: string,
  file: string,
): PathOf {
  return projectOr(projectFile, (ctx) => extensionSettingsFile(ctx, extension, file));
}
