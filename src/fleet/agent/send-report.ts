/**
 * Delivering a pass's report. A report the hub did not take (it was away) is kept in
 * `pending-report.json` and sent first on the next pass, so the hub still learns what happened
 * while the laptop was offline; it is replaced by a newer undelivered one, never piled up.
 */
import { type AgentReport, FLEET_PATHS } from '../protocol.js';
import { readAgentJson, removeAgentFile, writeAgentJson } from './agent-files.js';
import { HubRequestError, httpError, hubRequest } from './hub-client.js';
import { type AgentIdentity, machineKey } from './identity.js';

export interface Delivery {
  delivered: boolean;
  /** A queued report from an earlier pass went out first. */
  flushed: boolean;
  note?: string;
}

export async function sendReport(
  stateDir: string,
  identity: AgentIdentity,
  report: AgentReport,
): Promise<Delivery> {
  let flushed = false;
  const pending = (await readAgentJson(stateDir, 'pendingReport')) as AgentReport | undefined;
  try {
    if (pending && pending.machineId === identity.machineId) {
      try {
        await post(identity, pending);
        flushed = true;
      } catch (err) {
        // A report the hub rejects as invalid would block every later one: it is dropped.
        if (!(err instanceof HubRequestError && rejected(err.status))) throw err;
      }
    }
    await post(identity, report);
    await removeAgentFile(stateDir, 'pendingReport');
    return { delivered: true, flushed };
  } catch (err) {
    await writeAgentJson(stateDir, 'pendingReport', report);
    if (err instanceof HubRequestError)
      return { delivered: false, flushed, note: `report queued: ${err.message}` };
    throw err;
  }
}

async function post(identity: AgentIdentity, report: AgentReport): Promise<void> {
  const res = await hubRequest(identity, {
    method: 'POST',
    path: FLEET_PATHS.report,
    body: report,
    key: machineKey(identity),
  });
  if (res.status < 200 || res.status > 299) throw httpError(res, 'report refused');
}

/** Refused for what it says (too big, invalid), not for who sent it or when. */
function rejected(status: number | undefined): boolean {
  return status === 400 || status === 413 || status === 422;
}
