/**
 * Links between pages. Live (serve, `ui`): absolute site paths (`/env/dev`). Static export: the
 * same pages as files (`env/dev/index.html`) linked relatively, so the folder opens from disk or
 * any web server at any base path.
 */
import { createHash } from 'node:crypto';

export interface Links {
  /** The href of a site path such as `/`, `/env/dev`, `/env/dev/server/memory`. */
  page(sitePath: string): string;
  /** The href of an asset file name such as `ui.0a1b2c3d4e.css`. */
  asset(file: string): string;
  /** Whether pages get the live-update script (not in a static export). */
  live: boolean;
}

/** Path segments encoded for a URL (a server or environment name is never trusted as a path). */
export function sitePath(...segments: string[]): string {
  return `/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

export const liveLinks: Links = {
  page: (p) => p,
  asset: (f) => `/assets/${f}`,
  live: true,
};

/** Links for the static page at `from` (its file is `staticFile(from)`). */
export function staticLinks(from: string): Links {
  const depth = from.split('/').filter(Boolean).length;
  const up = depth === 0 ? './' : '../'.repeat(depth);
  return {
    page: (p) => `${up}${staticFile(p)}`,
    asset: (f) => `${up}assets/${f}`,
    live: false,
  };
}

/** The file a static page is written to, relative to the export folder. */
export function staticFile(site: string): string {
  const segs = site
    .split('/')
    .filter(Boolean)
    .map((s) => fileSegment(decodeURIComponent(s)));
  return [...segs, 'index.html'].join('/');
}

/**
 * A name as one folder name: kept when plainly safe (letters, digits, `.`, `_`, `-`, not dots
 * only), else `_` and 16 hex digits of its sha256, so no name can leave the export folder or
 * collide with a safe one. Links are built with the same function.
 */
function fileSegment(name: string): string {
  if (/^[A-Za-z0-9._-]{1,100}$/.test(name) && !/^\.+$/.test(name)) return name;
  return `_${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}
