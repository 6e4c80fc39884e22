/**
 * `serve --leader-elect` for real: replica processes against a real kube-apiserver + etcd and a real
 * git remote, each with its own state and lock dirs, so only the Lease keeps two from acting at
 * once. One leads; SIGKILL hands over after the lease expires, SIGTERM at once (the lease is
 * released); 20 pushes across a handover are applied once each at most and the newest ends
 * applied; a push delivered to a follower is applied by the leader, a pull request is forwarded to
 * it; a leader paused past its renew deadline acts on nothing when resumed; shards split
 * environments between two leaders.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { connectKube } from '../../../src/kube/connect.js';
import { type KubeApiServer, startKubeApiServer } from '../../helpers/kube-apiserver.js';
import { type ConfigRemote, createConfigRemote } from '../../remote/config-remote.js';
import { deliverer, example, pushPayload } from '../github-deliveries.js';
import { sleep } from '../serve-process.js';
import { type Replica, SECRET, startReplica, waitForLeader } from './replicas.js';

let api: KubeApiServer;
let remote: ConfigRemote;
const replicas: Replica[] = [];
const LEASE_MS = 4000;
const RETRY_MS = 500;

before(async () => {
  [api, remote] = await Promise.all([startKubeApiServer(), createConfigRemote()]);
});
after(async () => {
  for (const r of replicas) r.kill();
  await api?.stop();
  await remote?.close();
});

const start = async (name: string, lease: string, args: string[] = []) => {
  const r = await startReplica(remote, name, { kubeconfig: api.adminKubeconfig, lease, args });
  replicas.push(r);
  return r;
};
const lease = (name: string) =>
  connectKube({ kubeconfig: api.adminKubeconfig }).coordination.readNamespacedLease({
    name,
    namespace: 'default',
  });
const report = (env: string) =>
  JSON.parse(remote.remoteGit('show', `main:reports/${env}/laptop.json`)) as {
    revision?: { applied?: string };
  };
const applied = (env = 'dev') => {
  try {
    return report(env).revision?.applied;
  } catch {
    return undefined;
  }
};
async function waitApplied(sha: string, env = 'dev', timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (applied(env) !== sha) {
    if (Date.now() > until)
      throw new Error(`${env}: ${sha.slice(0, 12)} not applied (applied: ${applied(env)})`);
    await sleep(200);
  }
}
/** The config revision named by every `<env>/v*` tag: each apply that released something made one. */
const tagRevisions = (env = 'dev') =>
  [
    ...remote
      .remoteGit('for-each-ref', '--format=%(contents)', `refs/tags/${env}/`)
      .matchAll(/^revision: (\S+)$/gm),
  ].map((m) => m[1] as string);
const other = (r: Replica, pair: Replica[]) => pair.find((x) => x !== r) as Replica;
const logged = (r: Replica, msg: string) => r.lines.filter((l) => l.msg === msg);
/** Someone's config change, pushed; a push that lost the race with a report push is retried. */
const level = async (value: string) => {
  remote.pusher.write('servers/memory.yaml', remote.memoryServerYaml(value));
  remote.pusher.git('commit', '-q', '-am', `level ${value}`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await remote.pusher.push();
    } catch (err) {
      if (attempt >= 5) throw err;
    }
  }
};

describe('serve --leader-elect', { timeout: 600_000 }, () => {
  let pair: Replica[] = [];

  test('two replicas: exactly one leads, the Lease names it, the follower is ready and shows the leader', async () => {
    pair = [await start('a', 'one'), await start('b', 'one')];
    const leader = await waitForLeader(pair);
    const follower = other(leader, pair);
    await Promise.all(pair.map((r) => r.ready()));
    await sleep(2 * RETRY_MS * 3);
    assert.equal((await waitForLeader(pair)).name, leader.name, 'leadership stays put while renewed');
    const l = await lease('one');
    const leaderId = await leader.identity();
    assert.match(leaderId, /^[^_]+_[0-9a-f]{8}$/);
    assert.equal(l.spec?.holderIdentity, leaderId);
    assert.equal(l.spec?.leaseDurationSeconds, LEASE_MS / 1000);
    assert.equal(l.metadata?.annotations?.['mcp-gitops.dev/leader-url'], leader.url);
    const page = await fetch(follower.url).then((r) => r.text());
    assert.match(page, /data-role="follower"/);
    assert.ok(page.includes(`<code data-leader>${leaderId}</code>`), 'the follower names the leader');
    const metrics = await fetch(`${follower.url}/metrics`).then((r) => r.text());
    assert.ok(metrics.includes(`mcp_gitops_leader_info{lease="default/one",holder="${leaderId}"} 1`));
    assert.match(await fetch(leader.url).then((r) => r.text()), /data-role="leader"/);
    await waitApplied(remote.pusher.git('rev-parse', 'HEAD'));
    assert.equal(logged(follower, 'reconciled').length, 0, 'the follower never reconciled');
  });

  test('SIGKILL the leader during 20 pushes: taken over within the lease, nothing applied twice, the newest applied', async () => {
    const leader = await waitForLeader(pair);
    const follower = other(leader, pair);
    const deliverTo = (r: Replica) => deliverer(r.url, SECRET);
    let killedAt = 0;
    let killedWall = 0;
    let newest = '';
    for (let i = 0; i < 20; i++) {
      newest = await level(`push-${i}`);
      // As a Service would: deliveries alternate between the replicas (the dead one refuses).
      const to = i % 2 === 0 ? leader : follower;
      await deliverTo(to)({ event: 'push', payload: pushPayload('main', newest) }).catch(() => undefined);
      // Spread over the handover: before the kill, while nobody leads, and after the takeover.
      await sleep(300);
      if (i === 4) {
        leader.kill();
        killedAt = performance.now();
        killedWall = Date.now();
      }
    }
    const until = killedAt + 30_000;
    while (!(await follower.leading())) {
      assert.ok(performance.now() < until, 'the follower never took over');
      await sleep(25);
    }
    // From the kill to the follower's own "leading" line (the poll above runs after the pushes).
    const takeover = (logged(follower, 'leading')[0]?.time as number) - killedWall;
    // The follower may take the lease once renewTime + duration has passed: at most one lease and one
    // retry period after the kill (its last renew came just before), plus scheduling slack.
    assert.ok(takeover <= LEASE_MS + 2 * RETRY_MS + 1500, `takeover took ${takeover} ms`);
    process.stdout.write(`# SIGKILL takeover: ${Math.round(takeover)} ms (lease ${LEASE_MS} ms)\n`);
    await waitApplied(newest);
    // The branch is pushed before the tags: wait for the newest release's tag too.
    for (const until = Date.now() + 15_000; !tagRevisions().includes(newest) && Date.now() < until; )
      await sleep(100);
    const revisions = tagRevisions();
    assert.equal(
      new Set(revisions).size,
      revisions.length,
      `a revision was tagged twice: ${revisions.join(' ')}`,
    );
    assert.ok(
      revisions.includes(newest),
      `the newest commit ${newest} was released: ${remote.remoteGit('for-each-ref', '--format=%(refname) %(contents)', 'refs/tags/dev/')}`,
    );
    const l = await lease('one');
    assert.equal(l.spec?.holderIdentity, await follower.identity());
    assert.ok((l.spec?.leaseTransitions ?? 0) >= 1);
    const counted = await fetch(`${follower.url}/metrics`).then((r) => r.text());
    assert.match(counted, /^mcp_gitops_leader_transitions_total\{lease="default\/one"\} [1-9]/m);
    assert.match(counted, /^mcp_gitops_leader\{lease="default\/one",identity="[^"]+"\} 1$/m);
    pair = [follower, await start('c', 'one')];
    await pair[1]?.ready();
  });

  test('SIGTERM the leader: it releases the Lease and the follower takes over well before it would expire', async () => {
    const leader = await waitForLeader(pair);
    const follower = other(leader, pair);
    await sleep(1000);
    const before = (await lease('one')).spec?.leaseTransitions ?? 0;
    const t0 = performance.now();
    process.kill(leader.pid, 'SIGTERM');
    while (!(await follower.leading())) {
      assert.ok(performance.now() - t0 < 30_000, 'no takeover');
      await sleep(25);
    }
    const took = performance.now() - t0;
    process.stdout.write(`# SIGTERM takeover: ${Math.round(took)} ms (lease ${LEASE_MS} ms)\n`);
    assert.ok(took < LEASE_MS / 2, `takeover after release took ${took} ms`);
    const code = leader.child.exitCode ?? (await new Promise((r) => leader.child.once('exit', (c) => r(c))));
    assert.equal(code, 0);
    assert.ok(logged(leader, 'released the lease').length === 1);
    assert.equal((await lease('one')).spec?.leaseTransitions, before + 1);
    pair = [follower, await start('d', 'one')];
    await pair[1]?.ready();
  });

  test('a push delivered to a follower is recorded on the Lease and applied by the leader', async () => {
    const leader = await waitForLeader(pair);
    const follower = other(leader, pair);
    await waitApplied(remote.pusher.git('rev-parse', 'HEAD'));
    const sha = await level('via-follower');
    const res = await deliverer(follower.url, SECRET)({ event: 'push', payload: pushPayload('main', sha) });
    assert.equal(res.status, 202);
    assert.match(res.text, /not the leader: recorded on the Lease/);
    assert.equal((await lease('one')).metadata?.annotations?.['mcp-gitops.dev/requested-revision'], sha);
    await waitApplied(sha, 'dev', 30_000);
    assert.ok(logged(leader, 'a follower received a push: reconciling').length >= 1);
    assert.equal(logged(follower, 'reconciled').length, 0);
  });

  test('a pull request delivered to a follower is forwarded to the leader, which takes it as its own', async () => {
    const leader = await waitForLeader(pair);
    const follower = other(leader, pair);
    const p = example('pull_request', 'opened');
    const pr = p.pull_request as { base: { ref: string }; head: { sha: string } };
    pr.base.ref = 'main';
    pr.head.sha = remote.pusher.git('rev-parse', 'HEAD');
    const res = await deliverer(
      follower.url,
      SECRET,
    )({ event: 'pull_request', payload: p, id: 'pr-forward-1' });
    assert.equal(res.status, 202);
    assert.match(res.text, /forwarded #\d+ to the leader/);
    const accepted = () =>
      leader.lines.filter(
        (l) => l.msg === 'webhook delivery' && l.event === 'pull_request' && l.delivery === 'pr-forward-1',
      );
    const until = Date.now() + 10_000;
    while (accepted().length === 0 && Date.now() < until) await sleep(50);
    assert.equal(accepted()[0]?.outcome, 'accepted');
    // GitHub redelivering to the leader itself: the same delivery id is not planned again.
    const again = await deliverer(
      leader.url,
      SECRET,
    )({ event: 'pull_request', payload: p, id: 'pr-forward-1' });
    assert.equal(again.status, 200);
    assert.match(again.text, /seen before/);
  });

  test('a leader paused past its renew deadline is fenced: resumed, it hands a push over and applies nothing', async () => {
    const leader = await waitForLeader(pair);
    const follower = other(leader, pair);
    await waitApplied(remote.pusher.git('rev-parse', 'HEAD'));
    await sleep(1000);
    const reconciledBefore = logged(leader, 'reconciled').length;
    process.kill(leader.pid, 'SIGSTOP');
    try {
      const t0 = performance.now();
      while (!(await follower.leading())) {
        assert.ok(performance.now() - t0 < 30_000, 'no takeover from the paused leader');
        await sleep(50);
      }
      const sha = await level('while-paused');
      process.kill(leader.pid, 'SIGCONT');
      // Its own clock says its last renew is older than the renew deadline: it must not act.
      const res = await deliverer(leader.url, SECRET)({ event: 'push', payload: pushPayload('main', sha) });
      assert.equal(res.status, 202);
      assert.match(res.text, /not the leader: recorded on the Lease/);
      await waitApplied(sha, 'dev', 30_000);
      assert.ok(logged(leader, 'stopped leading').length >= 1);
      assert.equal(logged(leader, 'reconciled').length, reconciledBefore, 'the resumed leader reconciled');
      assert.equal((await lease('one')).spec?.holderIdentity, await follower.identity());
    } finally {
      process.kill(leader.pid, 'SIGCONT');
    }
  });

  test('--shard-selector: two shards elect a leader each and split the environments', async () => {
    for (const r of pair) await r.stop();
    const env = (name: string) =>
      `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: ${name}\n  labels:\n    shard: ${name}\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${path.join(remote.base, `home-${name}`)}\n  servers:\n    - name: memory\n`;
    remote.pusher.write('environments/a.yaml', env('a'));
    remote.pusher.write('environments/b.yaml', env('b'));
    const head = await remote.pusher.commitAndPush('two shards');
    const sa = await start('shard-a', 'shards', ['--shard-selector', 'shard=a']);
    const sb = await start('shard-b', 'shards', ['--shard-selector', 'shard=b']);
    pair = [sa, sb];
    await waitForLeader([sa]);
    await waitForLeader([sb]);
    await Promise.all([waitApplied(head, 'a'), waitApplied(head, 'b')]);
    const envsOf = (r: Replica) =>
      new Set(logged(r, 'locks acquired').flatMap((l) => l.environments as string[]));
    assert.deepEqual([...envsOf(sa)], ['a']);
    assert.deepEqual([...envsOf(sb)], ['b']);
    const names = (
      await connectKube({ kubeconfig: api.adminKubeconfig }).coordination.listNamespacedLease({
        namespace: 'default',
      })
    ).items
      .map((l) => l.metadata?.name ?? '')
      .filter((n) => n.startsWith('shards-'))
      .sort();
    assert.equal(names.length, 2);
    assert.match(names[0] ?? '', /^shards-shard-a-[0-9a-f]{8}$/);
    assert.match(names[1] ?? '', /^shards-shard-b-[0-9a-f]{8}$/);
  });

  test('a ServiceAccount allowed only get/create/update on Leases is enough; the namespace is its context’s', async () => {
    for (const r of pair) await r.stop();
    const token = await api.serviceAccountToken('mcp-gitops', 'reconciler');
    const { objects } = connectKube({ kubeconfig: api.adminKubeconfig });
    await objects.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'leader-election', namespace: 'mcp-gitops' },
      rules: [
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
      ],
    } as never);
    await objects.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'leader-election', namespace: 'mcp-gitops' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'leader-election' },
      subjects: [{ kind: 'ServiceAccount', name: 'reconciler', namespace: 'mcp-gitops' }],
    } as never);
    const kubeconfig = await api.kubeconfigFor(token, { namespace: 'mcp-gitops' });
    const opts = { kubeconfig, lease: 'rbac', namespace: null };
    const sa = [await startReplica(remote, 'sa-1', opts), await startReplica(remote, 'sa-2', opts)];
    replicas.push(...sa);
    const leader = await waitForLeader(sa);
    const follower = other(leader, sa);
    const held = await connectKube({ kubeconfig: api.adminKubeconfig }).coordination.readNamespacedLease({
      name: 'rbac',
      namespace: 'mcp-gitops',
    });
    assert.equal(held.spec?.holderIdentity, await leader.identity());
    const sha = await level('service-account');
    const res = await deliverer(follower.url, SECRET)({ event: 'push', payload: pushPayload('main', sha) });
    assert.equal(res.status, 202, res.text);
    await waitApplied(sha, 'dev', 60_000);
  });
});
