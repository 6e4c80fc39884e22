/**
 * `launcher.cjs run` (a CommonJS source fragment of the launcher): the launcher is the server's
 * parent and keeps it alive where the host's supervisor does not (start-stop-daemon and the
 * pidfile supervisor never restart anything; under systemd it does the same and systemd restarts
 * the launcher). It learns of a death from the child's exit event and restarts it with
 * exponential backoff (RESTART_POLICY), reset once a child stayed up; five exits within a minute
 * is a crash loop — it keeps restarting, but says so. Every change goes to the state file
 * (`state.json`, written atomically; see launcher-state.ts), which `observe` reads: restarts,
 * the last exit (code, signal, when, and who holds the port when one does), crash loop.
 *
 * The child runs in its own process group with the env file's variables; node scripts run as
 * `node --require launcher.cjs SCRIPT` so the env file is read, the listen-host patch and an
 * orphan guard (exit when the launcher is gone) are in place before the server's code runs. A child left behind by a
 * launcher that was killed (SIGKILL) is found through the state file and stopped before a new one
 * starts, so it cannot keep the port.
 */
export const RESTART_POLICY = {
  firstBackoffMs: 250,
  maxBackoffMs: 30_000,
  /** A child that stayed up this long resets the backoff (and clears a crash loop). */
  stableAfterMs: 30_000,
  crashLoopExits: 5,
  crashLoopWindowMs: 60_000,
} as const;

export const LAUNCHER_RUN_SCRIPT = String.raw`
const POLICY = ${JSON.stringify(RESTART_POLICY)};
function readJson(file) { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return undefined; } }
function writeState(file, state) {
  if (!file) return;
  const temp = file + '.' + process.pid + '.tmp';
  try {
    fs.writeFileSync(temp, JSON.stringify(state) + '\n', { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch {
    try { fs.rmSync(temp, { force: true }); } catch {}
  }
}
function sleepSync(ms) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }
function signalGroup(pid, sig) {
  try { process.kill(-pid, sig); } catch { try { process.kill(pid, sig); } catch {} }
}
/** Stop the child a dead launcher left behind (named in the state file, and really ours). */
function reapOrphan(statePath) {
  const previous = statePath && readJson(statePath);
  const pid = previous && previous.childPid;
  if (!pid || previous.launcherPid === process.pid || isAlive(previous.launcherPid)) return undefined;
  if (!isAlive(pid) || !environOf(pid).includes('MCP_GITOPS_STATE=' + statePath)) return undefined;
  signalGroup(pid, 'SIGKILL');
  for (let i = 0; i < 100 && isAlive(pid); i++) sleepSync(50);
  return pid;
}
function exitText(code, signal) {
  return code === null || code === undefined ? 'was killed by ' + signal : 'exited with code ' + code;
}

async function run(argv) {
  const { opts, rest } = parseArgs(argv);
  const [program, ...args] = rest;
  if (!program || !opts['env-file']) throw new Error('run needs --env-file and a program');
  const fileEnv = parseEnvFile(opts['env-file']);
  if (opts['pidfile']) fs.writeFileSync(opts['pidfile'], String(process.pid) + '\n');
  const statePath = opts['state'];
  const listenHost = opts['listen-host'];
  const port = Number(opts['port']) || undefined;
  const log = opts['log']
    ? openLog(opts['log'], Number(opts['log-max-bytes'] || 0), Number(opts['log-keep'] || 2))
    : undefined;
  const say = (message) => {
    const line = LAUNCHER_TAG + new Date().toISOString() + ' ' + message + '\n';
    if (log) log.write(line);
    else process.stderr.write(line);
  };
  const orphan = reapOrphan(statePath);
  if (orphan) say('stopped server process ' + orphan + ', left running by a launcher that is gone');

  const previous = (statePath && readJson(statePath)) || {};
  const now = Date.now();
  const state = {
    formatVersion: 1,
    launcherPid: process.pid,
    launcherStartedAt: now,
    status: 'starting',
    childPid: null,
    childStartedAt: null,
    restarts: Number(previous.restarts) || 0,
    exits: (Array.isArray(previous.exits) ? previous.exits : []).filter((t) => now - t < POLICY.crashLoopWindowMs),
    crashLoop: false,
    lastExit: previous.lastExit || null,
    nextRestartAt: null,
  };
  const env = { ...process.env, MCP_GITOPS_STATE: statePath || '' };
  if (listenHost) env.MCP_GITOPS_LISTEN_HOST = listenHost;
  const preload = '--require ' + JSON.stringify(__filename);
  let command = program;
  let commandArgs = args;
  if (isNodeScript(program)) {
    // The preload reads the env file into process.env: the values (secrets) never appear in the
    // server's /proc/<pid>/environ, as if the server had read the file itself.
    env.MCP_GITOPS_ENV_FILE = path.resolve(opts['env-file']);
    command = process.execPath;
    commandArgs = ['--require', __filename, path.resolve(program), ...args];
  } else {
    Object.assign(env, fileEnv);
    env.NODE_OPTIONS = env.NODE_OPTIONS ? env.NODE_OPTIONS + ' ' + preload : preload;
  }

  let child;
  let stopping = false;
  let consecutive = 0;
  let restartTimer;
  let stableTimer;
  const save = () => writeState(statePath, state);
  const finish = () => {
    state.status = 'stopped';
    state.childPid = null;
    state.nextRestartAt = null;
    save();
    process.exit(0);
  };

  function startChild() {
    restartTimer = undefined;
    state.nextRestartAt = null;
    const started = Date.now();
    const current = spawn(command, commandArgs, {
      env,
      stdio: ['ignore', log ? 'pipe' : 'inherit', log ? 'pipe' : 'inherit'],
      detached: true,
    });
    child = current;
    state.status = 'running';
    state.childPid = current.pid || null;
    state.childStartedAt = started;
    save();
    if (log && current.stdout && current.stderr) {
      current.stdout.on('data', (chunk) => log.write(chunk));
      current.stderr.on('data', (chunk) => log.write(chunk));
    }
    stableTimer = setTimeout(() => {
      consecutive = 0;
      if (state.crashLoop) { state.crashLoop = false; save(); }
    }, POLICY.stableAfterMs);
    let gone = false;
    const died = (code, signal, error) => {
      if (gone) return;
      gone = true;
      const at = Date.now();
      clearTimeout(stableTimer);
      child = undefined;
      const exit = { pid: current.pid || null, code, signal, at, upMs: at - started };
      if (error) exit.error = error;
      if (stopping) {
        state.lastExit = exit;
        // Let the pipes drain what the server wrote last, briefly.
        setTimeout(finish, 100);
        return;
      }
      consecutive++;
      state.exits = state.exits.filter((t) => at - t < POLICY.crashLoopWindowMs).concat(at);
      state.crashLoop = state.exits.length >= POLICY.crashLoopExits;
      if (port) {
        const owner = portOwner(port, listenHost, [process.pid]);
        if (owner.state === 'foreign') exit.reason = describeOwner(port, owner);
      }
      const delay = Math.min(POLICY.firstBackoffMs * 2 ** (consecutive - 1), POLICY.maxBackoffMs);
      state.lastExit = exit;
      state.status = 'restarting';
      state.childPid = null;
      state.nextRestartAt = at + delay;
      save();
      say(
        'server process ' + exit.pid + ' ' + (error ? 'could not start: ' + error : exitText(code, signal)) +
          (exit.reason ? '; ' + exit.reason : '') + '; restart ' + (state.restarts + 1) + ' in ' + delay + ' ms' +
          (state.crashLoop ? '; crash loop: ' + state.exits.length + ' exits within ' + POLICY.crashLoopWindowMs / 1000 + ' s' : ''),
      );
      restartTimer = setTimeout(() => {
        // The server's directory was removed (by hand, or a wiped baseDir): nothing left to run.
        if (!fs.existsSync(opts['env-file'])) {
          say('the env file ' + opts['env-file'] + ' is gone: not restarting');
          finish();
          return;
        }
        state.restarts++;
        startChild();
      }, delay);
    };
    current.on('exit', (code, signal) => died(code, signal));
    current.on('error', (err) => died(127, null, err && err.message ? err.message : String(err)));
  }

  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = undefined;
      if (child && child.pid) signalGroup(child.pid, sig);
      else finish();
    });
  }
  startChild();
}

/** launcher.cjs reap --state S: stop a server process its (dead) launcher left behind. */
function reap(argv) {
  const { opts } = parseArgs(argv);
  const pid = reapOrphan(opts['state']);
  console.log(JSON.stringify({ reaped: pid || null }));
}
`;
