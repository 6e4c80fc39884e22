/**
 * One recipe per real MCP client CLI: the npm package pinned, the env that stops its telemetry and
 * update checks, the files it needs in a sandboxed HOME (trust, a loopback API base), where
 * mcp-gitops writes its servers and how to read them back, how to add an entry by hand, and how
 * to ask the client for each server's status. Facts from /work/shared/CLIENT-CLIS.md (measured
 * here on Node 20, sandboxed HOME, no login, no model call). Adding a client is one entry below.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { applyEdits, modify, parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { type ClientPackage, killGroup, runClient, stripAnsi } from '../helpers/client-clis.js';

/** What a client said about one server: `connected`, or (list-only clients) `listed`, or its words. */
export type Statuses = Map<string, string>;

export interface ProbeContext {
  bin: string;
  home: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
}

export interface HandEntry {
  command: string;
  args: string[];
}

export interface ClientRecipe {
  /** The adapter id (`clients: [id]` in the target). */
  id: string;
  install: ClientPackage;
  /** Env for every run of the client (telemetry, updates, loopback API bases). */
  env: Record<string, string>;
  /** The user's own files before mcp-gitops runs (settings that keep the client offline, trust). */
  prepare?(home: string, cwd: string): void;
  /** The file mcp-gitops writes for this client (user scope). */
  file: string;
  /** The servers in that file's text, by name. */
  entries(text: string): Record<string, unknown>;
  /** The text with a server `name` added the way a person would (in the client's own shape). */
  addByHand(text: string, name: string, entry: HandEntry): string;
  /** `connected` for clients that connect; `listed` for clients that only list their config. */
  expect: 'connected' | 'listed';
  /** Ask the client about every configured server. */
  probe(ctx: ProbeContext): Promise<{ statuses: Statuses; output: string }>;
}

/** A client that cannot run here: listed in the test file's header too, and skipped with this reason. */
export interface UnrunnableClient {
  id: string;
  why: string;
}

const LOOPBACK_DEAD = 'http://127.0.0.1:9';

function jsonEntries(key: string) {
  return (text: string): Record<string, unknown> => {
    const doc = parseJsonc(text, [], { allowTrailingComma: true }) as Record<string, unknown> | undefined;
    return (doc?.[key] as Record<string, unknown> | undefined) ?? {};
  };
}

function jsonAdd(key: string, shape: (e: HandEntry) => unknown) {
  return (text: string, name: string, entry: HandEntry): string =>
    applyEdits(
      text,
      modify(text, [key, name], shape(entry), { formattingOptions: { insertSpaces: true, tabSize: 2 } }),
    );
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Run `list` and read one status per server with `line` (groups: name, status). */
async function listProbe(ctx: ProbeContext, args: string[], line: RegExp, normalize: (s: string) => string) {
  const run = await runClient(ctx.bin, args, { cwd: ctx.cwd, env: ctx.env, timeoutMs: ctx.timeoutMs });
  const statuses: Statuses = new Map();
  for (const l of run.output.split('\n')) {
    const m = line.exec(l.trimEnd());
    if (m?.groups) statuses.set(m.groups.name!, normalize(m.groups.status!));
  }
  const output = `exit ${run.code}${run.timedOut ? ' (timed out)' : ''}\n${run.output}`;
  return { statuses, output };
}

const stdioShape = (e: HandEntry) => ({ command: e.command, args: e.args });

/** Gemini CLI and Qwen Code share the settings schema, the trust file and the list format. */
function geminiFamily(
  id: string,
  install: ClientPackage,
  dir: string,
  env: Record<string, string>,
): ClientRecipe {
  return {
    id,
    install,
    env,
    prepare(home, cwd) {
      writeJson(join(home, dir, 'settings.json'), {
        privacy: { usageStatisticsEnabled: false },
        general: { disableAutoUpdate: true },
      });
      // An untrusted cwd shows every server, user ones included, as Disabled.
      writeJson(join(home, dir, 'trustedFolders.json'), { [cwd]: 'TRUST_FOLDER' });
    },
    file: `${dir}/settings.json`,
    entries: jsonEntries('mcpServers'),
    addByHand: jsonAdd('mcpServers', stdioShape),
    expect: 'connected',
    probe: (ctx) =>
      listProbe(
        ctx,
        ['mcp', 'list'],
        /^[✓✗○●] (?<name>\S+): .* \((?:stdio|http|sse)\) - (?<status>.+)$/,
        (s) => s.toLowerCase(),
      ),
  };
}

const OPENCODE_LINE = /^●\s+[✓✗]\s+(?<name>\S+)\s+(?<status>\S+)/;

/** Codex has no connecting `list`: ask `codex app-server` (JSON-RPC on stdio) for `mcpServerStatus/list`. */
function codexProbe(ctx: ProbeContext): Promise<{ statuses: Statuses; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ctx.bin, ['app-server'], {
      cwd: ctx.cwd,
      env: ctx.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let buffered = '';
    let output = '';
    let done = false;
    const finish = (statuses: Statuses) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      killGroup(child.pid!);
      resolve({ statuses, output: stripAnsi(output) });
    };
    const timer = setTimeout(() => finish(new Map()), ctx.timeoutMs);
    child.on('error', reject);
    child.on('exit', () => finish(new Map()));
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let msg: { id?: number; result?: { data?: Array<Record<string, unknown>> } };
        try {
          msg = JSON.parse(line);
        } catch {
          continue;
        }
        if (msg.id !== 2) continue;
        output += `${line}\n`;
        const statuses: Statuses = new Map();
        for (const s of msg.result?.data ?? []) {
          statuses.set(
            String(s.name),
            s.serverInfo ? 'connected' : `failed: ${JSON.stringify(s.toolsError ?? null)}`,
          );
        }
        finish(statuses);
      }
    });
    const send = (o: unknown) => child.stdin.write(`${JSON.stringify(o)}\n`);
    send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'mcp-gitops-test', version: '0' } } });
    send({ method: 'initialized' });
    send({ id: 2, method: 'mcpServerStatus/list', params: {} });
  });
}

export const RECIPES: readonly ClientRecipe[] = [
  {
    id: 'claude-code',
    install: {
      pkg: '@anthropic-ai/claude-code',
      version: '2.1.332',
      bin: 'claude',
      // install.cjs copies the platform binary (an optional dependency) over bin/claude.exe.
      localPostinstall: ['@anthropic-ai/claude-code'],
    },
    env: {
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
    },
    file: '.claude.json',
    entries: jsonEntries('mcpServers'),
    addByHand: jsonAdd('mcpServers', (e) => ({ type: 'stdio', ...stdioShape(e) })),
    expect: 'connected',
    probe: (ctx) =>
      listProbe(ctx, ['mcp', 'list'], /^(?<name>\S+): .* - (?<status>[✔✘⏸] .+)$/, (s) =>
        s === '✔ Connected' ? 'connected' : s,
      ),
  },
  geminiFamily('gemini-cli', { pkg: '@google/gemini-cli', version: '0.61.0', bin: 'gemini' }, '.gemini', {
    GEMINI_TELEMETRY_ENABLED: 'false',
  }),
  {
    id: 'codex',
    install: { pkg: '@openai/codex', version: '0.171.0', bin: 'codex' },
    env: { OPENAI_BASE_URL: `${LOOPBACK_DEAD}/v1` },
    prepare(home) {
      mkdirSync(join(home, '.codex'), { recursive: true });
      writeFileSync(
        join(home, '.codex', 'config.toml'),
        [
          '# my own settings',
          `chatgpt_base_url = "${LOOPBACK_DEAD}/"`,
          'check_for_update_on_startup = false',
          '',
          '[features]',
          'plugins = false # without this the app-server looks up github.com',
          '',
          '[analytics]',
          'enabled = false',
          '',
        ].join('\n'),
      );
    },
    file: '.codex/config.toml',
    entries: (text) => (parseToml(text).mcp_servers as Record<string, unknown> | undefined) ?? {},
    addByHand: (text, name, e) =>
      `${text.endsWith('\n') ? text : `${text}\n`}\n[mcp_servers.${name}]\ncommand = ${JSON.stringify(e.command)}\nargs = ${JSON.stringify(e.args)}\n`,
    expect: 'connected',
    probe: codexProbe,
  },
  geminiFamily('qwen-code', { pkg: '@qwen-code/qwen-code', version: '0.24.4', bin: 'qwen' }, '.qwen', {
    GEMINI_TELEMETRY_ENABLED: 'false',
    QWEN_TELEMETRY_ENABLED: 'false',
  }),
  {
    id: 'opencode',
    // postinstall.mjs links the platform binary (local work only).
    install: { pkg: 'opencode-ai', version: '1.18.33', bin: 'opencode', localPostinstall: ['opencode-ai'] },
    env: {
      OPENCODE_DISABLE_AUTOUPDATE: '1',
      OPENCODE_DISABLE_MODELS_FETCH: '1',
      OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
      OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
      OPENCODE_DISABLE_SHARE: '1',
      // It asks the npm registry on every run otherwise.
      NPM_CONFIG_REGISTRY: `${LOOPBACK_DEAD}/`,
    },
    file: '.config/opencode/opencode.json',
    entries: jsonEntries('mcp'),
    addByHand: jsonAdd('mcp', (e) => ({ type: 'local', command: [e.command, ...e.args] })),
    expect: 'connected',
    probe: (ctx) => listProbe(ctx, ['mcp', 'list'], OPENCODE_LINE, (s) => s),
  },
  {
    id: 'kilo',
    install: { pkg: '@kilocode/cli', version: '7.7.7', bin: 'kilo' },
    env: {
      KILO_DISABLE_AUTOUPDATE: '1',
      KILO_DISABLE_MODELS_FETCH: '1',
      KILO_DISABLE_DEFAULT_PLUGINS: '1',
      KILO_DISABLE_SHARE: '1',
      KILO_DISABLE_SESSION_INGEST: '1',
      KILO_DISABLE_LSP_DOWNLOAD: '1',
      KILO_DISABLE_PRESENCE: '1',
      KILO_TELEMETRY_LEVEL: 'off',
      NPM_CONFIG_REGISTRY: `${LOOPBACK_DEAD}/`,
    },
    file: '.config/kilo/kilo.json',
    entries: jsonEntries('mcp'),
    addByHand: jsonAdd('mcp', (e) => ({ type: 'local', command: [e.command, ...e.args] })),
    expect: 'connected',
    probe: (ctx) => listProbe(ctx, ['mcp', 'list'], OPENCODE_LINE, (s) => s),
  },
  {
    id: 'factory-droid',
    // @factory/cli's newest version has no platform binary in this registry; droid is its alias.
    install: { pkg: 'droid', version: '0.215.0', bin: 'droid' },
    env: {
      FACTORY_TELEMETRY_INGEST_BASE_URL: LOOPBACK_DEAD,
      FACTORY_API_BASE_URL: LOOPBACK_DEAD,
      FACTORY_APP_BASE_URL: LOOPBACK_DEAD,
      FACTORY_DROID_AUTO_UPDATE_ENABLED: 'false',
      DO_NOT_TRACK: '1',
    },
    file: '.factory/mcp.json',
    entries: jsonEntries('mcpServers'),
    addByHand: jsonAdd('mcpServers', (e) => ({ type: 'stdio', ...stdioShape(e) })),
    expect: 'connected',
    probe: (ctx) =>
      listProbe(
        ctx,
        ['mcp', 'list'],
        /^\s+(?<name>\S+)\s+(?:stdio|http|sse)\s+(?<status>connected|connecting|failed.*?)\s+\[(?:user|project)\]$/,
        (s) => s,
      ),
  },
  {
    id: 'amp',
    // install.cjs copies the platform binary into place (local work only); the newest version has none here.
    install: {
      pkg: '@ampcode/cli',
      version: '0.0.1790142911-g7618fb',
      bin: 'amp',
      localPostinstall: ['@ampcode/cli'],
    },
    // A dummy key avoids the login flow; AMP_URL keeps its traffic on loopback.
    env: { AMP_URL: LOOPBACK_DEAD, AMP_API_KEY: 'dummy' },
    file: '.config/amp/settings.json',
    entries: jsonEntries('amp.mcpServers'),
    addByHand: jsonAdd('amp.mcpServers', stdioShape),
    expect: 'connected',
    probe: (ctx) =>
      listProbe(
        ctx,
        ['mcp', 'doctor'],
        /^(?<name>\S+) \(.*?\): (?<status>connected|error|awaiting approval|connecting|reconnecting)\b/,
        (s) => s,
      ),
  },
  {
    id: 'copilot-cli',
    install: { pkg: '@github/copilot', version: '1.0.102', bin: 'copilot' },
    env: {},
    file: '.copilot/mcp-config.json',
    entries: jsonEntries('mcpServers'),
    addByHand: jsonAdd('mcpServers', (e) => ({ type: 'local', ...stdioShape(e), tools: ['*'] })),
    // Without a GitHub login it lists its config but connects nothing.
    expect: 'listed',
    probe: (ctx) =>
      listProbe(
        ctx,
        ['mcp', 'list'],
        /^\s+(?<name>\S+) \((?<status>local|stdio|http|sse)\)$/,
        () => 'listed',
      ),
  },
];

/** Clients with adapters that cannot run here, and why (also in the test file's header). */
export const UNRUNNABLE: readonly UnrunnableClient[] = [
  {
    id: 'crush',
    why: 'the npm package is a wrapper whose postinstall downloads the binary from github.com releases',
  },
  {
    id: 'cline-cli',
    why: 'no list command (its TUI status view rewrites the config) and it leaves a hub daemon running',
  },
  {
    id: 'augment',
    why: 'auggie mcp list shows ✓ for every enabled server, reachable or not, and warns about a tenant API it cannot reach',
  },
  { id: 'goose', why: 'not on npm: its CLI is a binary from github.com releases (block/goose)' },
  { id: 'kimi', why: 'not on npm: Kimi CLI is a Python package (PyPI kimi-cli)' },
  { id: 'mistral-vibe', why: 'not on npm: Mistral Vibe is a Python package (PyPI mistral-vibe)' },
  { id: 'amazon-q', why: 'not on npm: the q CLI is downloaded from AWS' },
  {
    id: 'continue',
    why: 'no list command: status is only on the TUI (/mcp under a pty), and it looks up api.continue.dev',
  },
];
