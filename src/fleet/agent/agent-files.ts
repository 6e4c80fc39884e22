/**
 * The agent's own folder on its laptop (`~/.local/state/mcp-gitops/agent/`, mode 0700) and the
 * files in it (mode 0600): its identity (private key), the last verified bundle, a report the hub
 * has not taken yet, and the outcome of the last pass. Every write is atomic (temp file + rename)
 * so a laptop that sleeps or loses power mid-write never leaves half a file.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { McpGitopsError } from '../../core/errors.js';
import { defaultHome } from '../../hosts/local-host.js';

export const AGENT_FILES = {
  identity: 'identity.json',
  bundle: 'bundle.json',
  pendingReport: 'pending-report.json',
  lastPass: 'last-pass.json',
} as const;

export type AgentFile = keyof typeof AGENT_FILES;

/** `~/.local/state/mcp-gitops/agent` (home: env `MCP_GITOPS_HOME`, else the user's home). */
export function defaultAgentStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultHome(env), '.local', 'state', 'mcp-gitops', 'agent');
}

/**
 * The engine's root on a laptop (where a relative `file:` secret reference resolves): a folder of
 * its own in the state folder, so no reference in a bundle can name the agent's key or bundle.
 */
export function engineRoot(stateDir: string): string {
  return path.join(stateDir, 'files');
}

export function agentFile(stateDir: string, file: AgentFile): string {
  return path.join(stateDir, AGENT_FILES[file]);
}

/** Creates the state folder (0700) and tightens it when it already exists. */
export async function ensureStateDir(stateDir: string): Promise<void> {
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  await fs.chmod(stateDir, 0o700);
}

/** Writes JSON atomically with mode 0600. */
export async function writeAgentJson(stateDir: string, file: AgentFile, data: unknown): Promise<void> {
  await ensureStateDir(stateDir);
  const target = agentFile(stateDir, file);
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw new McpGitopsError('ERR_IO', `cannot write ${target}: ${(err as Error).message}`, {
      hint: `check that ${stateDir} is writable by this user`,
      cause: err,
    });
  }
}

/** The parsed file, or undefined when it does not exist. A file that is not JSON is an error. */
export async function readAgentJson(stateDir: string, file: AgentFile): Promise<unknown> {
  const target = agentFile(stateDir, file);
  let text: string;
  try {
    text = await fs.readFile(target, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new McpGitopsError('ERR_IO', `cannot read ${target}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new McpGitopsError('ERR_IO', `${target} is not valid JSON`, {
      hint: `remove it; the agent writes it again (identity.json: enrol again with \`mcp-gitops agent enroll\`)`,
    });
  }
}

export async function removeAgentFile(stateDir: string, file: AgentFile): Promise<void> {
  await fs.rm(agentFile(stateDir, file), { force: true });
}
