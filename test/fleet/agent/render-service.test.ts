/**
 * The rendered systemd unit and launchd plist. The plist is parsed as XML by a strict reader of
 * the plist subset (every tag closed and nested, entities only as XML defines them) so a path with
 * `&` or `<` cannot break it; the unit's ExecStart must use absolute paths, each word quoted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderLaunchdPlist, renderSystemdUnit } from '../../../src/fleet/agent/render-service.js';

type Plist = string | boolean | Plist[] | { [key: string]: Plist };

/** Parses the plist subset (dict, array, key, string, true, false); throws on anything malformed. */
function parsePlist(xml: string): Plist {
  const body = xml
    .replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '')
    .replace(/^<!DOCTYPE plist PUBLIC "[^"]+" "[^"]+">\n/, '');
  const tokens = body.match(/<[^>]*>|[^<]+/g) ?? [];
  let i = 0;
  const text = (s: string) => {
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(s)) throw new Error(`bad entity in ${s}`);
    return s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  };
  const skip = () => {
    while (i < tokens.length && /^\s+$/.test(tokens[i]!)) i++;
  };
  const expect = (tag: string) => {
    skip();
    if (tokens[i] !== tag) throw new Error(`expected ${tag} at token ${i}, got ${tokens[i]}`);
    i++;
  };
  const value = (): Plist => {
    skip();
    const tag = tokens[i++];
    if (tag === '<true/>') return true;
    if (tag === '<false/>') return false;
    if (tag === '<string>') {
      const s = tokens[i]?.startsWith('<') ? '' : text(tokens[i++]!);
      expect('</string>');
      return s;
    }
    if (tag === '<array>') {
      const out: Plist[] = [];
      for (skip(); tokens[i] !== '</array>'; skip()) out.push(value());
      i++;
      return out;
    }
    if (tag === '<dict>') {
      const out: Record<string, Plist> = {};
      for (skip(); tokens[i] !== '</dict>'; skip()) {
        expect('<key>');
        const key = text(tokens[i++]!);
        expect('</key>');
        out[key] = value();
      }
      i++;
      return out;
    }
    throw new Error(`unexpected ${tag}`);
  };
  expect('<plist version="1.0">');
  const root = value();
  expect('</plist>');
  skip();
  if (i !== tokens.length) throw new Error('content after </plist>');
  return root;
}

const cmd = {
  node: '/opt/node 20/bin/node',
  cli: '/Users/dev/a&b <x>/bin/mcp-gitops.js',
  args: ['--interval', '5m', '--state-dir', '/Users/dev/state'],
};

test('launchd plist: parses, runs this node and CLI with agent run, at load, kept alive', () => {
  const plist = parsePlist(renderLaunchdPlist(cmd, '/Users/dev/state/agent.log')) as Record<string, Plist>;
  assert.deepEqual(plist, {
    Label: 'dev.mcp-gitops.agent',
    ProgramArguments: [cmd.node, cmd.cli, 'agent', 'run', ...cmd.args],
    RunAtLoad: true,
    KeepAlive: true,
    ProcessType: 'Background',
    StandardOutPath: '/Users/dev/state/agent.log',
    StandardErrorPath: '/Users/dev/state/agent.log',
  });
  assert.throws(() =>
    parsePlist('<plist version="1.0"><dict><key>a</key><string>x & y</string></dict></plist>'),
  );
});

test('systemd unit: ExecStart with absolute, quoted paths; restarted on failure; started with the user session', () => {
  const unit = renderSystemdUnit({ ...cmd, cli: '/home/dev/$HOME%/bin/mcp-gitops.js' });
  const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1];
  assert.equal(
    exec,
    '"/opt/node 20/bin/node" "/home/dev/$$HOME%%/bin/mcp-gitops.js" "agent" "run" "--interval" "5m" "--state-dir" "/Users/dev/state"',
  );
  const words = [...(exec ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
  assert.ok(words[0]!.startsWith('/') && words[1]!.startsWith('/'), 'node and CLI are absolute paths');
  assert.match(unit, /^Restart=on-failure$/m);
  assert.match(unit, /^WantedBy=default\.target$/m);
  assert.match(unit, /^EnvironmentFile=-%h\/\.config\/mcp-gitops\/agent\.env$/m);
  assert.deepEqual(
    unit.split('\n').filter((l) => l.startsWith('[')),
    ['[Unit]', '[Service]', '[Install]'],
  );
});
