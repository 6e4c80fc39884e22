/** `agent enroll` and `agent run`: see agent.ts. */
import { McpGitopsError } from '../../core/errors.js';
import { defaultAgentStateDir } from '../../fleet/agent/agent-files.js';
import { runPass } from '../../fleet/agent/agent-pass.js';
import { enroll } from '../../fleet/agent/identity.js';
import { machineFacts } from '../../fleet/agent/machine-facts.js';
import { passLine, runAgent } from '../../fleet/agent/run-agent.js';
import { redactor } from '../../log/redact.js';
import { EXIT_ERROR } from '../exit-codes.js';
import { parseDuration } from '../parse-duration.js';

export interface EnrollFlags {
  stateDir?: string;
  insecureHttp?: boolean;
  force?: boolean;
}

export interface RunFlags {
  once?: boolean;
  interval: string;
  rotateAfter: string;
  stateDir?: string;
}

function say(line: string): void {
  process.stdout.write(`${redactor.redact(line)}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).length > 4096) break;
  }
  return Buffer.concat(chunks).toString('utf8').trim();
}

export async function runEnroll(url: string, tokenArg: string, flags: EnrollFlags): Promise<void> {
  const token = tokenArg === '-' ? await readStdin() : tokenArg;
  if (!token)
    throw new McpGitopsError('ERR_USAGE', 'no enrolment token given', {
      hint: 'pass TOKEN, or - and the token on stdin',
    });
  // The token is a credential until it is used: never printed, whatever fails.
  redactor.add(token);
  const stateDir = flags.stateDir ?? defaultAgentStateDir();
  const identity = await enroll({
    stateDir,
    hubUrl: url,
    token,
    insecureHttp: flags.insecureHttp === true,
    force: flags.force === true,
    facts: machineFacts(),
  });
  say(`Enrolled this machine as ${identity.machineId} in environment ${identity.environment}.`);
  say(`Identity (private key, pinned hub key) in ${stateDir}/identity.json (mode 0600).`);
  say('Next: `mcp-gitops agent run --once` to reconcile now, `mcp-gitops agent install` to keep it running.');
}

/** `30d` as well as parseDuration's units. */
export function parseLongDuration(text: string, option: string): number {
  const days = /^(\d+(?:\.\d+)?)d$/.exec(text.trim());
  if (days) return Math.round(Number(days[1]) * 24 * 3_600_000);
  return parseDuration(text, option);
}

export async function runAgentCommand(flags: RunFlags): Promise<void> {
  const stateDir = flags.stateDir ?? defaultAgentStateDir();
  const intervalMs = parseDuration(flags.interval, '--interval');
  const rotateAfterMs = parseLongDuration(flags.rotateAfter, '--rotate-after');
  if (flags.once) {
    const result = await runPass({ stateDir, rotateAfterMs });
    say(passLine(result));
    if (result.outcome === 'failing') process.exitCode = EXIT_ERROR;
    return;
  }
  say(
    `agent running: a pass every ${flags.interval} (±10%), state in ${stateDir}; SIGTERM or SIGINT stops it`,
  );
  await runAgent({ stateDir, intervalMs, rotateAfterMs, say });
}
