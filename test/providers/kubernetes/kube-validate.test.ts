/**
 * `mcp-gitops validate` on a kubernetes target, through the real CLI: stdio and npm servers are
 * refused at the Server's FILE:LINE naming the target, a non-k8s: secret is refused at the
 * reference's line without echoing its path, host other than local is refused, and a valid
 * repo validates. No API server is needed: validation never connects.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { cliRunner } from '../../helpers/cli.js';
import { createTempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { environmentYaml, REPOSITORY, serverYaml } from './kube-repo.js';

const cli = cliRunner({});
const repos: TempRepo[] = [];

function repoWith(files: Record<string, string>): TempRepo {
  const repo = createTempRepo('mcp-gitops-kube-validate-');
  repos.push(repo);
  repo.write('mcp-gitops.yaml', REPOSITORY);
  for (const [file, content] of Object.entries(files)) repo.write(file, content);
  repo.commitAll('config');
  return repo;
}

describe('validate with a kubernetes target', () => {
  after(() => {
    for (const r of repos) r.cleanup();
  });

  test('a valid repo validates', async () => {
    const repo = repoWith({
      'servers/search.yaml': serverYaml('search', 8080, {
        extra:
          '  kubernetes:\n    replicas: 2\n    resources:\n      limits:\n        memory: 512Mi\n    livenessProbe: false\n',
      }),
      'environments/prod.yaml': environmentYaml('prod', { namespace: 'mcp' }, ['search']),
    });
    const res = await cli.run(['validate', '--repo', repo.dir]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
  });

  test('stdio and npm servers, env: secrets and an ssh host are refused where they are written', async () => {
    const repo = repoWith({
      'servers/local.yaml': serverYaml('local', 0, { transport: 'stdio', secretRef: 'k8s:a/b' }),
      'servers/npm.yaml': serverYaml('npm', 8081, { registryType: 'npm', secretRef: 'k8s:a/b' }),
      'servers/plain.yaml': serverYaml('plain', 8082, { secretRef: 'env:VERY_PRIVATE_NAME' }),
      'environments/prod.yaml': environmentYaml('prod', { namespace: 'mcp' }, ['local', 'npm', 'plain']),
      'environments/edge.yaml': environmentYaml('edge', { namespace: 'mcp' }, ['plain']).replace(
        'provider: kubernetes\n',
        'provider: kubernetes\n      host: ssh://me@edge\n',
      ),
    });
    const res = await cli.run(['validate', '--repo', repo.dir]);
    const out = res.stdout + res.stderr;
    assert.equal(res.code, 1, out);
    assert.match(
      out,
      /servers\/local\.yaml:\d+:\d+: error: .*server "local" uses transport stdio.*kubernetes target "cluster"/,
    );
    assert.match(
      out,
      /servers\/npm\.yaml:\d+:\d+: error: .*"npm" has no container image.*kubernetes target "cluster"/,
    );
    assert.match(
      out,
      /servers\/plain\.yaml:\d+:\d+: error: .*secret API_TOKEN of server "plain" is env: on kubernetes target "cluster".*k8s:SECRET\/KEY/,
    );
    assert.match(
      out,
      /environments\/edge\.yaml:\d+:\d+: error: target "cluster": host "ssh:\/\/me@edge" is not supported by the kubernetes provider/,
    );
    assert.doesNotMatch(out, /VERY_PRIVATE_NAME/);
  });
});
