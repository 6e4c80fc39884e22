/** `mcp-gitops import SERVER_JSON`: an official MCP registry server.json → a Server YAML. */
import { type Command, InvalidArgumentError } from 'commander';

interface ImportFlags {
  out?: string;
  name?: string;
  package?: number;
  port?: number;
  expectTools?: string;
  force?: boolean;
}

function nonNegativeInt(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > max)
      throw new InvalidArgumentError(`expected an integer from 0 to ${max}`);
    return n;
  };
}

export function register(program: Command): void {
  program
    .command('import')
    .description('convert an MCP registry server.json into a Server resource')
    .argument('<server-json>', 'path of the server.json file')
    .option('--out <file>', 'write the Server YAML here (default: standard output)')
    .option('--name <name>', 'metadata.name of the Server (default: from the registry name)')
    .option(
      '--package <index>',
      'which of packages[] to use (default: the first npm, pypi, then oci)',
      nonNegativeInt(1000),
    )
    .option('--port <port>', 'port of an HTTP package whose URL does not give one', nonNegativeInt(65535))
    .option('--expect-tools <names>', 'comma-separated tools the health check must find (health.expectTools)')
    .option('--force', 'overwrite --out if it exists')
    .action(async (file: string, flags: ImportFlags) => {
      // Loaded on use: other commands never pay for the schema validator and the YAML writer.
      const { importServer } = await import('../../import/import-server.js');
      const { yaml, result } = importServer(file, {
        out: flags.out,
        name: flags.name,
        packageIndex: flags.package,
        port: flags.port,
        expectTools: flags.expectTools
          ?.split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        force: flags.force,
      });
      if (!flags.out) {
        process.stdout.write(yaml);
        return;
      }
      process.stdout.write(
        `wrote ${flags.out}: Server "${result.resource.metadata.name}" from ${result.source}\n`,
      );
      for (const note of result.notes) process.stdout.write(`  note: ${note}\n`);
    });
}
