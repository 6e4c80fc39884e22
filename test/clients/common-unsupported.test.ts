/**
 * commonUnsupported decides "cannot be launched over stdio" without building the launch; it must
 * say exactly what asking stdioLaunch says, for every shape of server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commonUnsupported, stdioLaunch } from '../../src/clients/build-entry.js';
import type { ServerSpec } from '../../src/core/resources.js';

function reference(spec: ServerSpec): string | undefined {
  if (!spec.package && !spec.command && !spec.remote) return 'the server has no package, command or remote';
  if (spec.transport === 'stdio' && !stdioLaunch(spec))
    return 'a remote server must use streamable-http or sse';
  return undefined;
}

test('commonUnsupported answers as stdioLaunch does', () => {
  const packages = [undefined, 'npm', 'pypi', 'oci', 'mcpb', ''].map((registryType) =>
    registryType === undefined ? undefined : { registryType, identifier: 'x', version: '1.0.0' },
  );
  const commands = [undefined, { path: '/bin/srv' }, { path: '', args: ['a'] }];
  const remotes = [undefined, { url: 'https://example.com/mcp' }];
  let cases = 0;
  for (const transport of ['stdio', 'streamable-http', 'sse'])
    for (const pkg of packages)
      for (const command of commands)
        for (const remote of remotes) {
          const spec = { transport, package: pkg, command, remote } as unknown as ServerSpec;
          assert.equal(commonUnsupported(spec), reference(spec), JSON.stringify(spec));
          cases++;
        }
  assert.equal(cases, 108);
});
