/**
 * Runs the Hook resources of one environment for one event (DESIGN.md §2 Hook). Arguments are
 * Handlebars templates rendered into an argument vector (no shell); the command runs from the
 * config repo's root with a time limit; its output is redacted before it is kept. A failing
 * `preApply` hook with `onFailure: abort` is a gate: the caller stops that environment's apply.
 */
import * as path from 'node:path';
import type Handlebars from 'handlebars';
import type { HookEvent, HookResource } from '../core/resources.js';
import { loadExeca } from '../hosts/load-execa.js';
import type { Logger } from '../log/logger.js';
import { redactor } from '../log/redact.js';
import { loadHandlebars } from '../templates/create-engine.js';

export const DEFAULT_HOOK_TIMEOUT_MS = 30_000;
const MAX_OUTPUT = 4_000;

export interface HookEventContext {
  event: HookEvent;
  environment: string;
  /** One line, e.g. `2 changed, 0 failed, 1 drifted`. */
  summary: string;
  revision?: string;
  changed?: number;
  failed?: number;
  drifted?: number;
  /** Config repo root: the hooks' working directory and the base of relative commands. */
  root: string;
}

export interface HookResult {
  hook: string;
  event: HookEvent;
  ok: boolean;
  exitCode?: number;
  /** Combined stdout + stderr, redacted, truncated. */
  output: string;
  message?: string;
}

export interface HookRunResult {
  results: HookResult[];
  /** Set when a `preApply` hook with `onFailure: abort` failed. */
  abort?: { hook: string; reason: string };
}

/** Created when a hook's arguments are first rendered: most runs have no hook to run. */
let hbs: typeof Handlebars | undefined;

export function hooksFor(
  hooks: readonly HookResource[],
  event: HookEvent,
  environment: string,
): HookResource[] {
  return hooks.filter(
    (h) =>
      h.spec.events.includes(event) && (!h.spec.environments || h.spec.environments.includes(environment)),
  );
}

export async function runHooks(
  hooks: readonly HookResource[],
  ctx: HookEventContext,
  logger?: Logger,
): Promise<HookRunResult> {
  const results: HookResult[] = [];
  let abort: HookRunResult['abort'];
  for (const hook of hooksFor(hooks, ctx.event, ctx.environment)) {
    const result = await runOne(hook, ctx);
    results.push(result);
    logger?.info(
      { hook: result.hook, event: ctx.event, ok: result.ok, exitCode: result.exitCode },
      'hook ran',
    );
    if (!result.ok && ctx.event === 'preApply' && hook.spec.onFailure === 'abort' && !abort) {
      abort = { hook: result.hook, reason: `preApply hook "${result.hook}" failed: ${result.message}` };
      break;
    }
  }
  return { results, abort };
}

async function runOne(hook: HookResource, ctx: HookEventContext): Promise<HookResult> {
  const name = hook.metadata.name;
  const view = {
    event: ctx.event,
    environment: ctx.environment,
    summary: ctx.summary,
    revision: ctx.revision ?? '',
    changed: ctx.changed ?? 0,
    failed: ctx.failed ?? 0,
    drifted: ctx.drifted ?? 0,
  };
  let args: string[];
  try {
    hbs ??= loadHandlebars().create();
    const engine = hbs;
    args = (hook.spec.run.args ?? []).map((a) => engine.compile(a, { noEscape: true, strict: true })(view));
  } catch (err) {
    return {
      hook: name,
      event: ctx.event,
      ok: false,
      output: '',
      message: `cannot render args: ${(err as Error).message}`,
    };
  }
  const command = resolveCommand(hook.spec.run.command, ctx.root);
  const timeout = hook.spec.run.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
  const result = await (await loadExeca())(command, args, {
    cwd: ctx.root,
    timeout,
    reject: false,
    all: true,
    stdin: 'ignore',
    env: {
      ...hook.spec.run.env,
      MCP_GITOPS_EVENT: ctx.event,
      MCP_GITOPS_ENVIRONMENT: ctx.environment,
      MCP_GITOPS_SUMMARY: ctx.summary,
      MCP_GITOPS_REVISION: ctx.revision ?? '',
      MCP_GITOPS_HOOK: name,
    },
  });
  const output = redactor.redact(String(result.all ?? '')).slice(-MAX_OUTPUT);
  if (result.timedOut)
    return { hook: name, event: ctx.event, ok: false, output, message: `timed out after ${timeout} ms` };
  if (result.failed && result.exitCode === undefined) {
    return {
      hook: name,
      event: ctx.event,
      ok: false,
      output,
      message: redactor.redact(result.shortMessage ?? 'could not start'),
    };
  }
  const ok = result.exitCode === 0;
  return {
    hook: name,
    event: ctx.event,
    ok,
    exitCode: result.exitCode,
    output,
    message: ok ? undefined : `exit code ${result.exitCode}`,
  };
}

/** `./x` and `hooks/x` resolve against the repo root; a bare name is looked up on PATH. */
function resolveCommand(command: string, root: string): string {
  if (path.isAbsolute(command) || !command.includes('/')) return command;
  return path.resolve(root, command);
}
