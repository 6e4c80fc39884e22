/**
 * Who answered a verification, and on which protocol revision, as the report records it
 * (`ServerIdentity`). The server's name, version and title are its own words: they are kept short
 * and stripped of control and invisible characters before they reach a report or a terminal.
 */
import type { Implementation, ServerCapabilities } from '@modelcontextprotocol/client';
import type { ServerIdentity } from '../surface/types.js';

const MAX_LABEL = 120;

export interface IdentityFacts {
  protocolVersion?: string;
  era?: 'modern' | 'legacy';
  serverInfo?: Implementation;
  capabilities: ServerCapabilities;
}

export function identityOf(facts: IdentityFacts): ServerIdentity {
  const identity: ServerIdentity = {};
  const version = facts.protocolVersion === undefined ? undefined : label(facts.protocolVersion);
  if (version) identity.protocolVersion = version;
  if (facts.era) identity.handshake = facts.era === 'modern' ? 'discover' : 'initialize';
  const name = label(facts.serverInfo?.name);
  if (name) {
    const serverVersion = label(facts.serverInfo?.version);
    const title = label(facts.serverInfo?.title);
    identity.serverInfo = {
      name,
      ...(serverVersion ? { version: serverVersion } : {}),
      ...(title ? { title } : {}),
    };
  }
  identity.capabilities = Object.keys(facts.capabilities)
    .filter((key) => facts.capabilities[key as keyof ServerCapabilities] != null)
    .map((key) => label(key))
    .filter((key): key is string => !!key)
    .sort();
  return identity;
}

/** Printable text only (no C0/C1 controls, no format characters such as zero-width), trimmed, capped. */
export function label(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const clean = text
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!clean) return undefined;
  return clean.length > MAX_LABEL ? `${clean.slice(0, MAX_LABEL - 1)}…` : clean;
}
