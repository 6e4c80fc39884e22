/**
 * A config repo on a real HTTP git remote (`git http-backend`) for remote and serve tests: one
 * environment `dev` whose target writes Claude Code's config under a temp home (client-config)
 * and runs server-memory over stdio (fast to verify). `pusher` is someone else's clone (git CLI).
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startGitHttpServer } from '../helpers/git-http-server.js';
import { serverBin } from '../helpers/mcp-servers.js';

export interface ConfigRemote {
  base: string;
  home: string;
  /** HTTP URL of the bare repo. */
  url: string;
  bare: string;
  /** A CLI clone to make "someone else's" commits in, then `push()`. */
  pusher: {
    dir: string;
    git(...args: string[]): string;
    write(file: string, content: string): void;
    /** Commit everything and push (async: the HTTP server runs in this process). */
    commitAndPush(message: string): Promise<string>;
    /** Rebase on the remote and push what is committed. */
    push(): Promise<string>;
    /** Push HEAD to a ref as is (e.g. `refs/pull/7/head`, as GitHub keeps a PR's head). */
    pushRef(ref: string): Promise<void>;
  };
  /** `git -C bare ...`. */
  remoteGit(...args: string[]): string;
  memoryServerYaml(level: string): string;
  close(): Promise<void>;
}

const run = promisify(execFile);

const ENV = {
  GIT_AUTHOR_NAME: 'someone',
  GIT_AUTHOR_EMAIL: 'someone@example.com',
  GIT_COMMITTER_NAME: 'someone',
  GIT_COMMITTER_EMAIL: 'someone@example.com',
};

export async function createConfigRemote(options: { token?: string } = {}): Promise<ConfigRemote> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-remote-'));
  const home = path.join(base, 'home');
  const remotes = path.join(base, 'remotes');
  fs.mkdirSync(home);
  fs.mkdirSync(remotes);
  const bare = path.join(remotes, 'config.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  execFileSync('git', ['-C', bare, 'config', 'http.receivepack', 'true']);
  const server = await startGitHttpServer(remotes, { token: options.token });
  const url = `${server.url}/config.git`;
  const authedUrl = options.token ? url.replace('http://', `http://x:${options.token}@`) : url;

  const dir = path.join(base, 'pusher');
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, ...ENV } }).trim();
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  git('remote', 'add', 'origin', authedUrl);
  const write = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  };
  const memoryServerYaml = (level: string) =>
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: memory\nspec:\n  description: memory\n  command:\n    path: ${process.execPath}\n    args: ["${serverBin('memory')}"]\n  transport: stdio\n  env:\n    MEMORY_FILE_PATH: "${path.join(home, 'memory.jsonl')}"\n    LEVEL: "${level}"\n  health:\n    expectTools: [read_graph]\n    timeoutMs: 15000\n`;
  write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: remote\nspec:\n  branch: main\n',
  );
  write('servers/memory.yaml', memoryServerYaml('info'));
  write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: dev\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${home}\n  servers:\n    - name: memory\n`,
  );
  // The network steps must not block the event loop: the HTTP git server runs in this process.
  const gitAsync = (...args: string[]) =>
    run('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, ...ENV }, timeout: 30_000 });
  // serve commits reports to the same branch: a push that loses that race is rebased and tried
  // again, as a person would, instead of failing the test.
  const push = async () => {
    for (let attempt = 1; ; attempt++) {
      await gitAsync('pull', '-q', '--rebase', 'origin', 'main');
      try {
        await gitAsync('push', '-q', 'origin', 'HEAD:main');
        return git('rev-parse', 'HEAD');
      } catch (err) {
        const text = String((err as { stderr?: unknown }).stderr ?? err);
        if (attempt >= 5 || !/rejected|cannot lock ref|fetch first|non-fast-forward/.test(text)) throw err;
      }
    }
  };
  const commitAndPush = async (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return push();
  };
  git('add', '-A');
  git('commit', '-q', '-m', 'config');
  await gitAsync('push', '-q', 'origin', 'HEAD:main');

  return {
    base,
    home,
    url,
    bare,
    pusher: {
      dir,
      git,
      write,
      commitAndPush,
      push,
      pushRef: async (ref: string) => {
        await gitAsync('push', '-q', '-f', 'origin', `HEAD:${ref}`);
      },
    },
    remoteGit: (...args: string[]) => execFileSync('git', ['-C', bare, ...args], { encoding: 'utf8' }).trim(),
    memoryServerYaml,
    async close() {
      await server.close();
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
