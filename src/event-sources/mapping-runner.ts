/**
 * Runs the pollers of every mapping and settles the states the API leaves: a mapping that wants
 * polling (Creating, Enabling, Updating, Enabled) gets a poller and becomes Enabled; Disabling
 * stops its poller (batches in delivery finish) and becomes Disabled; Deleting stops it and the
 * row goes. In a cluster, one poller per mapping runs across the front ends: the one holding the
 * lease `esm:<uuid>` (renewed every scan; a dead holder's lapses after `leaseMs`). Scans run
 * every `scanMs`, and at once after a change (`kick`).
 */
import { wantsPolling, type EventSourceMappingRecord } from '../model/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import type { EventSourceMappingStore, LeaseStore } from '../storage/index.ts';
import { USER_INITIATED } from './mapping-service.ts';
import { SqsPoller, type PollerDeps } from './sqs-poller.ts';

export interface MappingRunnerDeps {
  readonly store: EventSourceMappingStore;
  readonly poller: PollerDeps;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly scanMs: number;
  /** A cluster's leases; without them (all-in-one) this process runs every mapping. */
  readonly leases?: { readonly store: LeaseStore; readonly holder: string; readonly leaseMs: number } | undefined;
}

const PAGE = 500;

export class MappingRunner {
  readonly #deps: MappingRunnerDeps;
  readonly #pollers = new Map<string, SqsPoller>();
  #timer: NodeJS.Timeout | undefined;
  #scanning: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(deps: MappingRunnerDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#stopped = false;
    this.kick();
  }

  /** Scans now (or right after the scan under way). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#scanning !== undefined) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#scanning = this.#scan()
      .catch((err: unknown) => this.#deps.logger.error({ err }, 'event source mapping scan failed'))
      .finally(() => {
        this.#scanning = undefined;
        if (this.#stopped) return;
        if (this.#again) {
          this.#again = false;
          this.kick();
          return;
        }
        this.#timer = setTimeout(() => this.kick(), this.#deps.scanMs);
        this.#timer.unref();
      });
  }

  /** The poller running a mapping here, if any (status and tests). */
  poller(uuid: string): SqsPoller | undefined {
    return this.#pollers.get(uuid);
  }

  /** Stops every poller here (batches in delivery finish) and gives up the leases. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#scanning;
    const uuids = [...this.#pollers.keys()];
    await Promise.all(uuids.map((u) => this.#stopPoller(u)));
    const leases = this.#deps.leases;
    if (leases !== undefined) await Promise.all(uuids.map((u) => leases.store.release(leaseName(u), leases.holder).catch(() => undefined)));
  }

  async #scan(): Promise<void> {
    const seen = new Set<string>();
    let after: string | undefined;
    for (;;) {
      const page = await this.#deps.store.list({ afterUuid: after, limit: PAGE });
      for (const m of page) {
        seen.add(m.uuid);
        if (this.#stopped) return;
        await this.#reconcile(m).catch((err: unknown) => this.#deps.logger.error({ err, uuid: m.uuid }, 'event source mapping not reconciled'));
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!.uuid;
    }
    for (const uuid of [...this.#pollers.keys()]) if (!seen.has(uuid)) await this.#stopPoller(uuid);
  }

  async #reconcile(m: EventSourceMappingRecord): Promise<void> {
    const local = this.#pollers.get(m.uuid);
    if (wantsPolling(m.state)) {
      if (!(await this.#hold(m.uuid))) {
        if (local !== undefined) await this.#stopPoller(m.uuid);
        return;
      }
      if (local === undefined) {
        const poller = new SqsPoller(m, this.#deps.poller);
        this.#pollers.set(m.uuid, poller);
        poller.start();
        this.#deps.logger.info({ uuid: m.uuid, queue: m.eventSourceArn, function: m.functionArn }, 'event source mapping polling');
      } else if (local.mapping.lastModifiedMs !== m.lastModifiedMs) {
        local.update(m);
      }
      if (m.state !== 'Enabled') await this.#deps.store.setState(m, 'Enabled', USER_INITIATED);
      return;
    }
    if (local !== undefined) await this.#stopPoller(m.uuid);
    if (m.state === 'Disabled') return;
    if (!(await this.#hold(m.uuid))) return;
    if (m.state === 'Disabling') await this.#deps.store.setState(m, 'Disabled', USER_INITIATED);
    if (m.state === 'Deleting') await this.#deps.store.delete(m.uuid);
    const leases = this.#deps.leases;
    if (leases !== undefined) await leases.store.release(leaseName(m.uuid), leases.holder);
  }

  async #hold(uuid: string): Promise<boolean> {
    const leases = this.#deps.leases;
    if (leases === undefined) return true;
    return leases.store.acquire(leaseName(uuid), leases.holder, this.#deps.clock.now(), leases.leaseMs);
  }

  async #stopPoller(uuid: string): Promise<void> {
    const poller = this.#pollers.get(uuid);
    if (poller === undefined) return;
    await poller.stop();
    this.#pollers.delete(uuid);
    this.#deps.logger.info({ uuid }, 'event source mapping stopped polling');
  }
}

function leaseName(uuid: string): string {
  return `esm:${uuid}`;
}
