/**
 * Where VS Code and its forks keep per-user files: the app's data folder (`~/.config/<App>` on
 * Linux, `~/Library/Application Support/<App>` on macOS, `%APPDATA%\<App>` on Windows), its
 * `User` folder, and the `User/globalStorage/<extension id>/` folder each extension writes to.
 * Shared by the editor-family adapters (Cline, Roo Code, Kilo Code, VS Code Insiders, Trae, Qoder).
 */
import * as path from 'node:path';
import type { PathContext } from '../types.js';

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
