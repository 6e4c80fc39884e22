/**
 * `/healthz` (the process answers) and `/readyz` (the cache checkout is there and a sync
 * succeeded). The status pages themselves (`/`, `/env/…`, `/history`, `/drift`, `/events`) are the
 * status UI: src/serve/ui-routes.ts over src/ui/.
 */
import { sendText } from './create-serve-app.js';
import type { Route } from './types.js';

export interface StatusSource {
  ready(): boolean;
}

export function statusRoutes(source: StatusSource): Route[] {
  return [
    { method: 'GET', path: '/healthz', handle: (_req, res) => sendText(res, 200, 'ok\n') },
    {
      method: 'GET',
      path: '/readyz',
      handle: (_req, res) =>
        source.ready()
          ? sendText(res, 200, 'ready\n')
          : sendText(res, 503, 'not ready: no synced checkout yet\n'),
    },
  ];
}
