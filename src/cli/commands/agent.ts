/**
 * `mcp-gitops agent enroll|run|status|install|uninstall`: a laptop's pull agent for the fleet
 * (DESIGN.md §4 "Fleet hosts"). It connects out to the hub (`serve --fleet`), pulls its signed
 * bundle, reconciles this machine's MCP client configs with the engine, and reports. The work
 * lives in agent-actions.ts and agent-service.ts, loaded on use so `--help` stays fast.
 */
import type { Command } from 'commander';
import { Option } from 'commander';

const STATE_DIR = [
  '--state-dir <dir>',
  "the agent's folder (default ~/.local/state/mcp-gitops/agent)",
] as const;

export function register(program: Command): void {
  const agent = program
    .command('agent')
    .description(
      "a laptop's pull agent: enrol with the fleet hub, then keep this machine as its bundle declares",
    );
  agent
    .command('enroll')
    .description('enrol this machine with a one-time token from `mcp-gitops fleet token create`')
    .argument('<url>', 'the hub (https://HOST[:PORT]; http:// only to loopback unless --insecure-http)')
    .argument('<token>', 'the one-time enrolment token, or - to read it from stdin')
    .option(...STATE_DIR)
    .option('--insecure-http', 'allow plain http:// to a hub that is not on loopback (trusted networks only)')
    .option('--force', 'replace an existing identity (then revoke the old machine at the hub)')
    // A token may begin with '-': it is the token, not an unknown option (which commander would echo).
    .allowUnknownOption()
    .action(async (url: string, token: string, flags) => {
      const { runEnroll } = await import('./agent-actions.js');
      await runEnroll(url, token, flags);
    });
  agent
    .command('run')
    .description(
      'reconcile this machine every --interval (and at once after waking from sleep) until stopped',
    )
    .option('--once', 'one pass, then exit: 0 in sync or drifted, 1 failing')
    .option('--interval <duration>', 'time between passes, jittered by ±10%', '5m')
    .option('--rotate-after <duration>', "rotate the machine's key when it is older than this", '30d')
    .option(...STATE_DIR)
    .action(async (flags) => {
      const { runAgentCommand } = await import('./agent-actions.js');
      await runAgentCommand(flags);
    });
  agent
    .command('status')
    .description('identity, hub, the last bundle and the last pass (reads the state folder only)')
    .option(...STATE_DIR)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags) => {
      const { runStatus } = await import('./agent-status.js');
      await runStatus(flags);
    });
  agent
    .command('install')
    .description('run the agent as a user service (systemd --user on Linux, launchd on macOS)')
    .option('--print', 'print the systemd unit and the launchd plist; write nothing')
    .option('--interval <duration>', 'time between passes', '5m')
    .option(...STATE_DIR)
    .action(async (flags) => {
      const { runInstall } = await import('./agent-service.js');
      await runInstall(flags);
    });
  agent
    .command('uninstall')
    .description('stop and remove the user service')
    .option('--prune', "also remove every client entry the agent wrote, and the agent's state folder")
    .option(...STATE_DIR)
    .action(async (flags) => {
      const { runUninstall } = await import('./agent-service.js');
      await runUninstall(flags);
    });
}
