/**
 * `mcp-gitops __plan-pull-request`: not for people. `serve` starts it as the sandboxed planner of
 * a pull request (src/pr-plan/worker-main.ts), with a JSON request on stdin.
 */
import type { Command } from 'commander';

export function register(program: Command): void {
  program.command('__plan-pull-request', { hidden: true }).action(async () => {
    const { workerMain } = await import('../../pr-plan/worker-main.js');
    process.exitCode = await workerMain();
  });
}
