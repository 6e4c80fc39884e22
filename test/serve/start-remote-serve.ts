/**
 * `serve` against a test config remote (test/remote/config-remote.ts): loopback on a free port,
 * the remote's `main`, state and locks under the remote's temp dir, silent logs. Each caller adds
 * what its case is about (secret, body limit, GitHub API, poll, observers).
 */
import * as path from 'node:path';
import { createLogger } from '../../src/log/logger.js';
import { type RunningServe, type ServeOptions, startServe } from '../../src/serve/start-serve.js';
import type { ConfigRemote } from '../remote/config-remote.js';

export function startRemoteServe(
  remote: ConfigRemote,
  options: Partial<ServeOptions> & Pick<ServeOptions, 'bodyLimit'>,
): Promise<RunningServe> {
  return startServe({
    host: '127.0.0.1',
    port: 0,
    remote: remote.url,
    branch: 'main',
    stateDir: path.join(remote.base, 'state'),
    lockDir: path.join(remote.base, 'locks'),
    logger: createLogger({ level: 'silent' }),
    ...options,
  });
}
