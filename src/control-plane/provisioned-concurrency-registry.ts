/**
 * The data plane's view of provisioned concurrency: which versions to keep how
 * many sandboxes initialised for, and the allocation status of each config.
 *
 * Contract for the worker manager: call `allocations()` at start and whenever an
 * `onChange` listener fires (reconcile: start what is missing, retire what is no
 * longer wanted); report `markReady` once a config's sandboxes are initialised,
 * `markFailed` when they cannot be, `markInProgress` when it starts them over (it
 * took the config over). Each report names the lastModifiedMs of the config it
 * acted on: a config put again meanwhile keeps its fresh state. The status is
 * stored with the config (every front end shows the same), and starts over
 * IN_PROGRESS whenever the config is put.
 */
import type { FunctionVersionConfig, ProvisionedState, ProvisionedStatus, StoredProvisionedConfig } from '../model/index.ts';
import type { Logger } from '../shared/index.ts';
import type { Stores } from '../storage/index.ts';
import { qualifierKind } from './qualifiers.ts';

export type { ProvisionedState, ProvisionedStatus } from '../model/index.ts';

/** One config as the data plane acts on it. */
export interface ProvisionedAllocation {
  readonly functionName: string;
  /** As configured: a version number or an alias name. */
  readonly qualifier: string;
  readonly requested: number;
  /** Of the config as read: what the status reports name. */
  readonly lastModifiedMs: number;
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
  readonly #listeners = new Set<() => void>();
  /** Functions that had configs when last looked at (a refresh that finds none left must still tell listeners). */
  readonly #withConfigs = new Set<string>();

  constructor(deps: ProvisionedRegistryDeps) {
    this.#deps = deps;
  }

  /** Every config with the versions it keeps initialised. */
  async allocations(): Promise<ProvisionedAllocation[]> {
    const out: ProvisionedAllocation[] = [];
    for (const c of await this.#deps.stores.provisioned.list()) {
      this.#withConfigs.add(c.functionName);
      out.push({ functionName: c.functionName, qualifier: c.qualifier, requested: c.requested, lastModifiedMs: c.lastModifiedMs, status: c.state.status, versions: await this.#targets(c) });
    }
    return out;
  }

  /** Subscribes to changes of the allocations (configs put or deleted, aliases moved, versions settled or deleted). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async markReady(functionName: string, qualifier: string, seenLastModifiedMs: number): Promise<void> {
    const config = await this.#deps.stores.provisioned.get(functionName, qualifier);
    if (config === undefined || config.lastModifiedMs !== seenLastModifiedMs) return;
    await this.#set(functionName, qualifier, seenLastModifiedMs, { status: 'READY', statusReason: undefined, available: config.requested });
  }

  async markFailed(functionName: string, qualifier: string, seenLastModifiedMs: number, reason: string): Promise<void> {
    await this.#set(functionName, qualifier, seenLastModifiedMs, { status: 'FAILED', statusReason: reason, available: 0 });
  }

  async markInProgress(functionName: string, qualifier: string, seenLastModifiedMs: number): Promise<void> {
    await this.#set(functionName, qualifier, seenLastModifiedMs, { status: 'IN_PROGRESS', statusReason: undefined, available: 0 });
  }

  /** The stored allocation state of a config. */
  state(config: StoredProvisionedConfig): ProvisionedState {
    return config.state;
  }

  /** Something about the function changed: tell listeners if it has configs, or had some. */
  async refresh(functionName: string): Promise<void> {
    const live = (await this.#deps.stores.provisioned.list(functionName)).length > 0;
    const had = this.#withConfigs.has(functionName);
    if (live) this.#withConfigs.add(functionName);
    else this.#withConfigs.delete(functionName);
    if (live || had) this.notify();
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

  async #set(functionName: string, qualifier: string, seenLastModifiedMs: number, state: ProvisionedState): Promise<void> {
    if (!(await this.#deps.stores.provisioned.setState(functionName, qualifier, seenLastModifiedMs, state))) return;
    this.#deps.logger.info({ functionName, qualifier, status: state.status, reason: state.statusReason }, 'provisioned concurrency status');
  }

  async #targets(c: StoredProvisionedConfig): Promise<ProvisionedAllocation['versions']> {
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
