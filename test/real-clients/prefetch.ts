/**
 * Fill the real-client cache before the tests run (`.ci/run` calls this after `npm ci`): each
 * client of recipes.ts is installed once per package@version and reused by every later run.
 *   node --import tsx test/real-clients/prefetch.ts
 */
import { clientCacheRoot, ensureClient } from '../helpers/client-clis.js';
import { RECIPES } from './recipes.js';

for (const recipe of RECIPES) {
  const bin = ensureClient(recipe.install, (line) => console.log(line));
  console.log(`${recipe.id}: ${bin}`);
}
console.log(`real MCP client CLIs cached in ${clientCacheRoot()}`);
