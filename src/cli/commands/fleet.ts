/**
 * `mcp-gitops fleet token create|revoke|list`: enrolment tokens and the enrolled machines of the
 * fleet hub that `serve --fleet` runs (DESIGN.md §4 "Fleet hosts"). They work on the hub's files in
 * `<state-dir>/fleet/` directly, beside a running serve: a token is a file serve consumes, a
 * revocation a marker serve checks on every request, and the list reads `machines.json`, which
 * serve writes at most 2 s after a check-in.
 */
import { type Command, Option } from 'commander';
import { McpGitopsError } from '../../core/errors.js';
import { parseDuration } from '../parse-duration.js';

interface StateFlags {
  stateDir?: string;
}

interface TokenFlags extends StateFlags {
  env: string;
  labels?: string;
  ttl: string;
}

interface ListFlags extends StateFlags {
  env?: string;
  drifted?: boolean;
  stale?: boolean;
  staleAfter: string;
  format: 'text' | 'json';
}

const STATE_DIR_HELP =
  "serve's --state-dir (default ~/.local/state/mcp-gitops); the hub's files are in its fleet/";
const ENV_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

async function fleetDir(flags: StateFlags): Promise<string> {
  const [{ defaultStateDir }, { fleetDirOf }, path] = await Promise.all([
    import('../../remote/cache-path.js'),
    import('../../fleet/hub/create-fleet-hub.js'),
    import('node:path'),
  ]);
  return fleetDirOf(flags.stateDir ? path.resolve(flags.stateDir) : defaultStateDir());
}

export function register(program: Command): void {
  const fleet = program
    .command('fleet')
    .description("the fleet hub's enrolment tokens and machines (serve --fleet)");
  const token = fleet.command('token').description('one-time enrolment tokens for `mcp-gitops agent enroll`');
  token
    .command('create')
    .description('print a one-time enrolment token (only its hash is stored)')
    .requiredOption('--env <name>', 'the environment machines enrolled with it belong to')
    .option('--labels <k=v,...>', 'labels for the machine (selectors match them; os and arch are built in)')
    .option('--ttl <duration>', 'how long the token can be used', '24h')
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .action(async (flags: TokenFlags) => {
      const [{ parseLabels }, { createToken }] = await Promise.all([
        import('./fleet-labels.js'),
        import('../../fleet/hub/tokens.js'),
      ]);
      if (!ENV_NAME.test(flags.env))
        throw new McpGitopsError(
          'ERR_USAGE',
          `--env ${JSON.stringify(flags.env)} is not an environment name`,
          {
            hint: 'an environment name is lower-case letters, digits and -',
          },
        );
      const labels = parseLabels(flags.labels);
      const ttlMs = parseDuration(flags.ttl, '--ttl');
      const made = createToken(await fleetDir(flags), {
        environment: flags.env,
        labels,
        expiresAt: Date.now() + ttlMs,
      });
      process.stdout.write(`${made}\n`);
    });
  fleet
    .command('revoke')
    .description('cut a machine off: its next request is refused (403) and it can no longer pull')
    .argument('<machine>', 'the machine id (see `fleet list`)')
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .action(async (machine: string, flags: StateFlags) => {
      const [{ markRevoked, readMachines }, { isMachineId }, { safeText }] = await Promise.all([
        import('../../fleet/hub/hub-store.js'),
        import('../../fleet/hub/machine-id.js'),
        import('../../surface/render-safe.js'),
      ]);
      const dir = await fleetDir(flags);
      const record = isMachineId(machine)
        ? readMachines(dir).find((m) => m.machineId === machine)
        : undefined;
      if (!record)
        throw new McpGitopsError('ERR_USAGE', `no machine ${safeText(machine, 40)} is enrolled in ${dir}`, {
          hint: '`mcp-gitops fleet list` shows the enrolled machines (pass the same --state-dir as serve)',
        });
      markRevoked(dir, machine, Date.now());
      process.stdout.write(
        `revoked ${machine} (${safeText(record.facts.hostname, 40)}): its next request is refused\n`,
      );
    });
  fleet
    .command('list')
    .description(
      'enrolled machines: last check-in, labels, and per fleet target the state and digest reported',
    )
    .option('--env <name>', 'only this environment')
    .option('--drifted', 'only machines with a drifted target')
    .option('--stale', 'only machines not seen for --stale-after')
    .option(
      '--stale-after <duration>',
      "a machine not seen for this long is stale (serve's --fleet-stale-after)",
      '1h',
    )
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: ListFlags) => {
      const [{ readMachines, hubPaths }, { machineRows, renderMachineRows }, fs] = await Promise.all([
        import('../../fleet/hub/hub-store.js'),
        import('./fleet-list.js'),
        import('node:fs'),
      ]);
      const dir = await fleetDir(flags);
      const revokedDir = hubPaths(dir).revoked;
      const revoked = new Set(fs.existsSync(revokedDir) ? fs.readdirSync(revokedDir) : []);
      const now = Date.now();
      const rows = machineRows(readMachines(dir), revoked, {
        ...(flags.env ? { env: flags.env } : {}),
        drifted: flags.drifted === true,
        stale: flags.stale === true,
        staleAfterMs: parseDuration(flags.staleAfter, '--stale-after'),
        now,
      });
      process.stdout.write(
        flags.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : renderMachineRows(rows, now),
      );
    });
}
