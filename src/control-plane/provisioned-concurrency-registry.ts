/**
 * The data plane's view of provisioned concurrency: which versions to keep how
 * many sandboxes initialised for, and the allocation status of each config.
 *
 * Contract for the worker manager: call `allocations()` at start and whenever an
 * `onChange` listener fires (reconcile: start what is missing, retire what is no
 * longer wanted); report `markReady` once a config's sandboxes are initialised,
 * `markFailed` when they cannot be. Status is runtime state: every config starts
 * IN_PROGRESS (also after a restart, and again whenever it is put).
 */
import type { FunctionVersionConfig } from '../model/index.ts';
import type { Logger } from '../shared/index.ts';
import type { Stores } from '../storage/index.ts';
import type { ProvisionedConfigRecord } from '../model/index.ts';
import { qualifierKind } from './qualifiers.ts';

export type ProvisionedStatus = 'IN_PROGRESS' | 'READY' | 'FAILED';

export interface ProvisionedState {
  readonly status: ProvisionedStatus;
  readonly statusReason: string | undefined;
  /** Sandboxes initialised and ready (0 until READY). */
  readonly available: number;
}

/** One config as the data plane acts on it. */
export interface ProvisionedAllocation {
  readonly functionName: string;
  /** As configured: a version number or an alias name. */
  readonly qualifier: string;
  readonly requested: number;
  readonly status: ProvisionedStatus;
  /** The versions to keep initialised and how many sandboxes each (an alias's weights split `requested`). */
  readonly versions: ReadonlyArray<{ readonly config: FunctionVersionConfig; readonly count: number }>;
}

export interface ProvisionedRegistryDeps {
  readonly stores: Stores;
  readonly logger: Logger;
}

export class ProvisionedConcurrencyRegistry {
  readonly #deps: ProvisionedRegistryDeps;
  readonly #states = new Map<string, ProvisionedState>();
  readonly #listeners = new Set<() => void>();

  constructor(deps: ProvisionedRegistryDeps) {
    this.#deps = deps;
  }

  /** Every config with the versions it keeps initialised. */
  async allocations(): Promise<ProvisionedAllocation[]> {
    const out: ProvisionedAllocation[] = [];
    for (const c of await this.#deps.stores.provisioned.list()) out.push({ ...c, status: this.state(c).status, versions: await this.#targets(c) });
    return out;
  }

  /** Subscribes to changes of the allocations (configs put or deleted, aliases moved, versions settled or deleted). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async markReady(functionName: string, qualifier: string): Promise<void> {
    const config = await this.#deps.stores.provisioned.get(functionName, qualifier);
    if (config === undefined) return;
    this.#set(functionName, qualifier, { status: 'READY', statusReason: undefined, available: config.requested });
  }

  async markFailed(functionName: string, qualifier: string, reason: string): Promise<void> {
    if ((await this.#deps.stores.provisioned.get(functionName, qualifier)) === undefined) return;
    this.#set(functionName, qualifier, { status: 'FAILED', statusReason: reason, available: 0 });
  }

  state(config: ProvisionedConfigRecord): ProvisionedState {
    return this.#states.get(key(config.functionName, config.qualifier)) ?? { status: 'IN_PROGRESS', statusReason: undefined, available: 0 };
  }

  /** A config was put: its allocation starts over. */
  restart(functionName: string, qualifier: string): void {
    this.#states.delete(key(functionName, qualifier));
  }

  /** Something about the function changed: forget states of configs that are gone and tell listeners if it matters. */
  async refresh(functionName: string): Promise<void> {
    const live = new Set((await this.#deps.stores.provisioned.list(functionName)).map((c) => key(c.functionName, c.qualifier)));
    let pruned = false;
    for (const k of this.#states.keys()) {
      if (k.startsWith(`${functionName}\u0000`) && !live.has(k)) pruned = this.#states.delete(k) || pruned;
    }
    if (live.size > 0 || pruned) this.notify();
  }

  notify(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (err) {
        this.#deps.logger.error({ err }, 'provisioned concurrency listener failed');
      }
    }
  }

  #set(functionName: string, qualifier: string, state: ProvisionedState): void {
    this.#states.set(key(functionName, qualifier), state);
    this.#deps.logger.info({ functionName, qualifier, status: state.status, reason: state.statusReason }, 'provisioned concurrency status');
  }

  async #targets(c: ProvisionedConfigRecord): Promise<ProvisionedAllocation['versions']> {
    const alias = qualifierKind(c.qualifier) === 'alias' ? await this.#deps.stores.aliases.get(c.functionName, c.qualifier) : undefined;
    const extra = alias?.additional;
    const extraCount = extra === undefined ? 0 : Math.round(c.requested * extra.weight);
    const wanted: Array<[string, number]> = [[alias?.functionVersion ?? c.qualifier, c.requested - extraCount]];
    if (extra !== undefined && extraCount > 0) wanted.push([extra.version, extraCount]);
    const out: Array<{ config: FunctionVersionConfig; count: number }> = [];
    for (const [version, count] of wanted) {
      const config = count === 0 ? undefined : await this.#deps.stores.functions.getVersion(c.functionName, version);
      if (config !== undefined) out.push({ config, count });
    }
    return out;
  }
}

function key(functionName: string, qualifier: string): string {
  return `${functionName}\u0000${qualifier}`;
}
