/**
 * The simplest real BundleSource: one FleetBundle body, signed with the hub's key for every machine
 * of its environment (machines of other environments get none). The rollout's source picks
 * targets and digests per machine; this one serves a fixed desired state, as a single-wave fleet
 * with one release would.
 */
import type { FleetBundle, SignedBundle } from '../protocol.js';
import type { MachineRecord } from '../rollout/types.js';
import { signBundle } from '../signing.js';
import type { BundleSource } from './hub-context.js';

export type BundleBody = Omit<FleetBundle, 'machineId' | 'issuedAt'>;

export class StaticBundleSource implements BundleSource {
  #body: BundleBody;
  readonly #hubPrivateKeyPem: string;
  readonly #now: () => number;

  constructor(body: BundleBody, hubPrivateKeyPem: string, now: () => number = Date.now) {
    this.#body = body;
    this.#hubPrivateKeyPem = hubPrivateKeyPem;
    this.#now = now;
  }

  /** Serve another desired state from now on (a new release). */
  set(body: BundleBody): void {
    this.#body = body;
  }

  bundleFor(machine: MachineRecord): SignedBundle | undefined {
    if (machine.environment !== this.#body.environment) return undefined;
    const bundle: FleetBundle = {
      ...this.#body,
      machineId: machine.machineId,
      issuedAt: new Date(this.#now()).toISOString(),
    };
    return signBundle(bundle, this.#hubPrivateKeyPem);
  }
}
