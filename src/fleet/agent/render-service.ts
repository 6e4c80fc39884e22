/**
 * The agent as a user service (pure renderers): a systemd user unit for Linux and a launchd agent
 * for macOS, both running `agent run` with this node and this CLI's absolute paths (a login shell's
 * PATH is not there when the service starts), restarted when it fails and started at login.
 */

export const SYSTEMD_UNIT = 'mcp-gitops-agent.service';
export const LAUNCHD_LABEL = 'dev.mcp-gitops.agent';
/** `~/.config/mcp-gitops/agent.env`: variables (secrets behind env: refs) the systemd service reads. */
export const AGENT_ENV_FILE = 'agent.env';

export interface ServiceCommand {
  /** Absolute path of the node binary. */
  node: string;
  /** Absolute path of the mcp-gitops CLI script. */
  cli: string;
  /** Arguments after `agent run`. */
  args: string[];
}

export function serviceArgv(cmd: ServiceCommand): string[] {
  return [cmd.node, cmd.cli, 'agent', 'run', ...cmd.args];
}

/** systemd quoting: every word double-quoted, `\`, `"`, `$` and `%` escaped. */
function systemdWord(word: string): string {
  return `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '$$$$').replace(/%/g, '%%')}"`;
}

export function renderSystemdUnit(cmd: ServiceCommand): string {
  return [
    '[Unit]',
    "Description=mcp-gitops fleet agent (keeps this machine's MCP client configs as the hub declares)",
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    // Secrets given as env: refs must be in the service's environment: an optional file for them.
    `EnvironmentFile=-%h/.config/mcp-gitops/${AGENT_ENV_FILE}`,
    `ExecStart=${serviceArgv(cmd).map(systemdWord).join(' ')}`,
    'Restart=on-failure',
    'RestartSec=30s',
    'KillSignal=SIGTERM',
    'TimeoutStopSec=120s',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function renderLaunchdPlist(cmd: ServiceCommand, logFile: string): string {
  const args = serviceArgv(cmd)
    .map((a) => `    <string>${xml(a)}</string>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <true/>
  <key>ProcessType</key>
  <string>Background</string>
  <key>StandardOutPath</key>
  <string>${xml(logFile)}</string>
  <key>StandardErrorPath</key>
  <string>${xml(logFile)}</string>
</dict>
</plist>
`;
}
