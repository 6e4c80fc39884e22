/**
 * The structural edit of `spec.sync.suspend` (pure text in, text out): exact expected bytes, so a
 * reformatted file or a lost comment fails; clearing what setting added gives the original back.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { editSyncSuspend } from '../../src/config-edit/edit-sync-suspend.js';
import { McpGitopsError } from '../../src/core/errors.js';

const FILE = 'environments/dev.yaml';
const suspend = (text: string, reason?: string, index = 0) =>
  editSyncSuspend(FILE, text, index, { suspend: true, ...(reason === undefined ? {} : { reason }) });
const resume = (text: string, index = 0) => editSyncSuspend(FILE, text, index, { suspend: false });

const NO_SYNC = `# yaml-language-server: $schema=../schemas/environment.schema.json
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }   # the laptop environment
spec:
  # template variables
  vars: { team: platform }

  targets:
    - name: laptop        # this machine
      provider: client-config
      clients: [claude-code]
  servers:
    - name: memory
`;

describe('editSyncSuspend', () => {
  test('no sync yet: a sync block right after spec:, every comment and blank line kept; resume restores the bytes', () => {
    const out = suspend(NO_SYNC, 'rolled back to dev/v1.0.0');
    assert.equal(out.changed, true);
    assert.equal(
      out.text,
      NO_SYNC.replace(
        'spec:\n',
        'spec:\n  sync:\n    suspend: true\n    suspendReason: "rolled back to dev/v1.0.0"\n',
      ),
    );
    const back = resume(out.text);
    assert.equal(back.changed, true);
    assert.equal(back.text, NO_SYNC);
  });

  test('a block sync with comments: new lines after its last pair at its indentation; resume restores', () => {
    const text = NO_SYNC.replace(
      '  # template variables\n',
      '  sync:\n    drift: warn      # report, do not fix\n    # deletions need a review\n    prune: false\n  # template variables\n',
    );
    const out = suspend(text);
    assert.equal(out.text, text.replace('    prune: false\n', '    prune: false\n    suspend: true\n'));
    assert.equal(resume(out.text).text, text);
  });

  test('a flow sync is rewritten on its line; resume restores it', () => {
    const text = NO_SYNC.replace(
      '  # template variables\n',
      '  sync: { drift: warn, prune: true }  # fast\n',
    );
    const out = suspend(text, 'incident #42: "db down"');
    assert.equal(
      out.text,
      text.replace(
        '{ drift: warn, prune: true }',
        '{ drift: warn, prune: true, suspend: true, suspendReason: "incident #42: \\"db down\\"" }',
      ),
    );
    assert.equal(resume(out.text).text, text);
    const empty = NO_SYNC.replace('  # template variables\n', '  sync: {}\n');
    assert.equal(suspend(empty).text, empty.replace('sync: {}', 'sync: { suspend: true }'));
  });

  test('suspend: false is replaced in place; a hand-written suspension is cleared with its reason, other keys stay', () => {
    const text = NO_SYNC.replace(
      '  # template variables\n',
      '  sync:\n    suspend: false # not now\n    drift: detect\n',
    );
    assert.equal(suspend(text).text, text.replace('suspend: false # not now', 'suspend: true # not now'));
    const by = NO_SYNC.replace(
      '  # template variables\n',
      '  sync:\n    drift: detect\n    # paused by ops\n    suspend: yes\n    suspendReason: old\n',
    );
    // `yes` is a string in YAML 1.2, not true: that environment is not suspended.
    assert.equal(resume(by).changed, false);
    const hand = by.replace('suspend: yes', 'suspend: true');
    assert.equal(
      resume(hand).text,
      NO_SYNC.replace('  # template variables\n', '  sync:\n    drift: detect\n    # paused by ops\n'),
    );
  });

  test('idempotent: suspending a suspended document and resuming a running one change nothing', () => {
    const suspended = suspend(NO_SYNC, 'first').text;
    assert.deepEqual(suspend(suspended, 'second'), { text: suspended, changed: false });
    assert.deepEqual(resume(NO_SYNC), { text: NO_SYNC, changed: false });
  });

  test('the right document of a multi-document file; CRLF line endings kept', () => {
    const two = `${NO_SYNC}---\n${NO_SYNC.replace('name: dev', 'name: prod')}`;
    const out = suspend(two, undefined, 1);
    const [first, second] = out.text.split('---\n');
    assert.equal(first, NO_SYNC);
    assert.match(second ?? '', /^spec:\n {2}sync:\n {4}suspend: true\n {2}# template variables$/m);
    assert.equal(resume(out.text, 1).text, two);

    const crlf = NO_SYNC.replace(/\n/g, '\r\n');
    const edited = suspend(crlf).text;
    assert.ok(edited.includes('spec:\r\n  sync:\r\n    suspend: true\r\n'));
    assert.doesNotMatch(edited, /[^\r]\n/);
    assert.equal(resume(edited).text, crlf);
  });

  test('a layout it cannot edit structurally is refused at its line, with a hint', () => {
    const flowSpec =
      'apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec: { targets: [], servers: [] }\n';
    assert.throws(
      () => suspend(flowSpec),
      (err: unknown) =>
        err instanceof McpGitopsError &&
        err.message === `${FILE}:4:7: cannot edit sync.suspend here: spec is a flow mapping ({ ... })` &&
        /set it by hand/.test(err.hint ?? ''),
    );
    const nullSync = NO_SYNC.replace('  # template variables\n', '  sync:\n');
    assert.throws(() => suspend(nullSync), /:6:3: cannot edit sync\.suspend here: sync is not a mapping/);
  });
});
