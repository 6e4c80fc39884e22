/** What the agent tells the hub about its machine (MachineFacts), each capped as the hub caps them. */
import * as os from 'node:os';
import { productVersion } from '../../init/product-paths.js';
import { FLEET_LIMITS, type MachineFacts } from '../protocol.js';

function cap(text: string): string {
  return [...text].slice(0, FLEET_LIMITS.factChars).join('');
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

export function machineFacts(): MachineFacts {
  return {
    hostname: cap(os.hostname()),
    os: cap(process.platform),
    arch: cap(process.arch),
    user: cap(userName()),
    agentVersion: cap(productVersion()),
  };
}
