/** Which deliveries act: pure decisions on GitHub's real example payloads. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  asPullRequest,
  asPush,
  decidePullRequest,
  decidePush,
  normalizeRepoUrl,
} from '../../src/serve/github-events.js';
import { example, pushPayload } from './github-deliveries.js';

const byUrl = { url: 'https://github.com/Codertocat/Hello-World.git', branch: 'main' };

describe('GitHub event decisions', () => {
  test('repository URLs compare across spellings (https, .git, ssh scp-form, case)', () => {
    const want = 'github.com/codertocat/hello-world';
    for (const u of [
      'https://github.com/Codertocat/Hello-World.git',
      'https://github.com/Codertocat/Hello-World',
      'git@github.com:Codertocat/Hello-World.git',
      'git://github.com/Codertocat/Hello-World.git',
    ])
      assert.equal(normalizeRepoUrl(u), want, u);
  });

  test('a push to the tracked branch of the remote acts; by URL match without --github-repo', () => {
    const push = asPush(pushPayload('main', 'a'.repeat(40)));
    assert.ok(push);
    assert.deepEqual(decidePush(push, byUrl), { act: true });
    assert.equal(decidePush(push, { ...byUrl, url: 'https://github.com/other/repo' }).act, false);
    assert.equal(decidePush(push, { ...byUrl, fullName: 'codertocat/hello-world' }).act, true);
  });

  test('tags, other branches, deletions, report commits and report-only changes do not act', () => {
    const tag = asPush(example('push'));
    assert.ok(tag);
    assert.match(JSON.stringify(decidePush(tag, byUrl)), /refs\/tags\/simple-tag is not the tracked branch/);
    const deleted = asPush({ ...pushPayload('main', '0'.repeat(40)), deleted: true });
    assert.ok(deleted);
    assert.equal(decidePush(deleted, byUrl).act, false);
    const own = asPush(
      pushPayload('main', 'b'.repeat(40), 'reconcile(dev): 1 changed\n\nMcp-Gitops-Report: true\n'),
    );
    assert.ok(own);
    assert.match(JSON.stringify(decidePush(own, byUrl)), /own report commit/);
    const reportsOnly = pushPayload('main', 'c'.repeat(40), 'fix a report by hand');
    (reportsOnly.commits as { modified: string[] }[])[0]!.modified = ['reports/dev/laptop.json'];
    const p = asPush(reportsOnly);
    assert.ok(p);
    assert.match(JSON.stringify(decidePush(p, byUrl)), /only report files/);
    // A trailer merely mentioned in a message is not a report commit.
    const mention = asPush(pushPayload('main', 'd'.repeat(40), 'docs: explain Mcp-Gitops-Report: true'));
    assert.ok(mention);
    assert.equal(decidePush(mention, byUrl).act, true);
  });

  test('pull requests: opened/synchronize/reopened against the tracked branch act', () => {
    const pr = example('pull_request', 'opened');
    (pr.pull_request as { base: { ref: string } }).base.ref = 'main';
    for (const action of ['opened', 'synchronize', 'reopened', 'closed', 'edited']) {
      const p = asPullRequest({ ...pr, action });
      assert.ok(p);
      assert.equal(
        decidePullRequest(p, byUrl).act,
        ['opened', 'synchronize', 'reopened'].includes(action),
        action,
      );
    }
    const other = asPullRequest(example('pull_request', 'opened'));
    assert.ok(other);
    assert.match(JSON.stringify(decidePullRequest(other, byUrl)), /targets master/);
    assert.equal(asPullRequest({ action: 'opened' }), undefined);
    assert.equal(asPush({ ref: 'x' }), undefined);
  });
});
