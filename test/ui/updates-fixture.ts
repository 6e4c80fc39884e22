/**
 * Updates reports for the metrics, UI and last-report tests: plain data of the shape
 * `findUpdates` returns (src/updates/types.ts), with a hostile registry's text where asked.
 */
import type { PullRequestOutcome, ServerUpdates, UpdatesReport } from '../../src/updates/types.js';

const POLICY = {
  allow: 'minor' as const,
  ignore: [],
  minimumReleaseAgeMs: 0,
  prereleases: false,
  requireDigest: false,
};

export function serverUpdates(server: string, over: Partial<ServerUpdates> = {}): ServerUpdates {
  return {
    server,
    environments: ['dev'],
    targets: ['dev/local'],
    kind: 'npm',
    identifier: `@acme/${server}`,
    current: '1.0.0',
    policy: POLICY,
    registry: 'http://127.0.0.1:4873',
    allowed: [],
    held: [],
    ...over,
  };
}

export function updatesReport(
  servers: ServerUpdates[],
  checkedAt = '2026-12-05T12:00:00.000Z',
): UpdatesReport {
  return { revision: 'a'.repeat(40), checkedAt, servers, requests: servers.length, durationMs: 42 };
}

/** One proposing, one erroring, one with held versions, one skipped. */
export function mixedReport(): UpdatesReport {
  return updatesReport([
    serverUpdates('fetch', {
      allowed: [{ version: '1.2.0' }, { version: '1.1.0' }],
      proposed: { version: '1.2.0', pin: '1.2.0', url: 'https://www.npmjs.com/package/@acme/fetch' },
      held: [{ version: '2.0.0', reason: 'not-allowed', detail: 'major; policy allows minor' }],
    }),
    serverUpdates('files', { error: 'registry http://127.0.0.1:9 did not answer within 10s' }),
    serverUpdates('notes', {
      held: [
        { version: '1.0.1', reason: 'too-young', detail: 'too young (published 5 h ago; minimum 3d)' },
        { version: '1.0.2', reason: 'ignored', detail: 'ignored (1.0.2)' },
      ],
    }),
    serverUpdates('remote', { skipped: 'remote server: no package to update' }),
  ]);
}

export function outcomes(): PullRequestOutcome[] {
  return [
    {
      name: 'fetch',
      branch: 'mcp-gitops/updates/fetch',
      action: 'opened',
      versions: ['fetch@1.2.0'],
      number: 7,
      url: 'https://github.com/acme/config/pull/7',
    },
  ];
}

/** A registry that answers with markup and a right-to-left override where versions go. */
export const HOSTILE_VERSION = '1.3.0<img src=x onerror=alert(1)>';
export const HOSTILE_DETAIL = 'held \u202e"><script>alert(2)</script>';

export function hostileReport(): UpdatesReport {
  return updatesReport([
    serverUpdates('fetch', {
      registry: 'http://127.0.0.1:4873/<b>evil</b>',
      allowed: [{ version: HOSTILE_VERSION }],
      proposed: { version: HOSTILE_VERSION, pin: HOSTILE_VERSION, url: 'javascript:alert(3)' },
      held: [{ version: '9.9.9"\'<x>', reason: 'withdrawn', detail: HOSTILE_DETAIL }],
      error: '<iframe src=//evil>',
    }),
  ]);
}
