/**
 * The two asset files with names carrying their content hash (`ui.<hash>.js`, `ui.<hash>.css`),
 * so they can be cached forever (`immutable`) and a new build is fetched at once.
 */
import { createHash } from 'node:crypto';
import { UI_SCRIPT } from './script.js';
import { UI_STYLE } from './style.js';

export interface AssetNames {
  js: string;
  css: string;
}

export interface Asset {
  name: string;
  type: string;
  body: string;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

let names: AssetNames | undefined;

export function assetNames(): AssetNames {
  names ??= { js: `ui.${hash(UI_SCRIPT)}.js`, css: `ui.${hash(UI_STYLE)}.css` };
  return names;
}

export function assets(): Asset[] {
  const n = assetNames();
  return [
    { name: n.js, type: 'text/javascript; charset=utf-8', body: UI_SCRIPT },
    { name: n.css, type: 'text/css; charset=utf-8', body: UI_STYLE },
  ];
}
