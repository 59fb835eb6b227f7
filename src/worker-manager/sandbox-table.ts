import type { SandboxView } from './choose-sandbox.ts';
import type { HostSandbox } from '../model/index.ts';

/** One sandbox as the worker manager tracks it. */
export class SandboxEntry implements SandboxView {
  readonly sandbox: HostSandbox;
  /** versionKey of what it runs. */
  readonly key: string;
  readonly functionName: string;
  readonly version: string;
  readonly createdMs: number;
  lastUsedMs: number;
  busy: boolean;
  /** Kept for a provisioned concurrency config; false again once the config no longer wants it. */
  provisioned: boolean;
  /** Destroy on release instead of returning to the warm set (its function changed while it ran). */
  doomed = false;
  /** When it stopped being provisioned because of its age; it serves until a replacement is ready. */
  recycledAtMs: number | undefined;

  constructor(sandbox: HostSandbox, key: string, functionName: string, version: string, nowMs: number, state: { busy: boolean; provisioned: boolean }) {
    this.sandbox = sandbox;
    this.key = key;
    this.functionName = functionName;
    this.version = version;
    this.createdMs = nowMs;
    this.lastUsedMs = nowMs;
    this.busy = state.busy;
    this.provisioned = state.provisioned;
  }

  get id(): string {
    return this.sandbox.id;
  }

  get alive(): boolean {
    return this.sandbox.alive;
  }
}

/** Every known sandbox, by version key and by id. */
export class SandboxTable {
  readonly #byKey = new Map<string, Map<string, SandboxEntry>>();
  readonly #byId = new Map<string, SandboxEntry>();

  add(entry: SandboxEntry): void {
    let map = this.#byKey.get(entry.key);
    if (!map) this.#byKey.set(entry.key, (map = new Map()));
    map.set(entry.id, entry);
    this.#byId.set(entry.id, entry);
  }

  /** Removes the entry; false when it was not (or no longer) in the table. */
  forget(entry: SandboxEntry): boolean {
    if (this.#byId.get(entry.id) !== entry) return false;
    this.#byId.delete(entry.id);
    const map = this.#byKey.get(entry.key);
    map?.delete(entry.id);
    if (map?.size === 0) this.#byKey.delete(entry.key);
    return true;
  }

  get(id: string): SandboxEntry | undefined {
    return this.#byId.get(id);
  }

  /** Sandboxes of one version (undefined when it has none). */
  ofKey(key: string): Iterable<SandboxEntry> | undefined {
    return this.#byKey.get(key)?.values();
  }

  all(): Iterable<SandboxEntry> {
    return this.#byId.values();
  }

  /** A copy of every entry, for loops that forget entries as they go. */
  list(): SandboxEntry[] {
    return [...this.#byId.values()];
  }

  clear(): void {
    this.#byKey.clear();
    this.#byId.clear();
  }
}
