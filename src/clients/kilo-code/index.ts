/**
 * Kilo Code, the VS Code extension in its Roo-derived format (4.x): `mcpServers` in
 * `<projectDir>/.kilocode/mcp.json` with a project directory, else the global `mcp_settings.json`
 * in `<VS Code user folder>/globalStorage/kilocode.kilo-code/settings/`. Entries as Roo Code's
 * (`type: streamable-http` / `sse`, `${env:NAME}` secrets). The Kilo CLI and the newer extension
 * builds read OpenCode-shaped `kilo.json[c]` instead: that is the `kilo` client, not this one.
 * Sources: https://kilo.ai/docs/features/mcp/using-mcp-in-kilo-code ,
 * https://kilo.ai/docs/features/mcp/using-mcp-in-cli
 */
import { rooFamily } from '../roo-code/index.js';

export const kiloCode = rooFamily('kilo-code', 'Kilo Code', '.kilocode/mcp.json', 'kilocode.kilo-code');
