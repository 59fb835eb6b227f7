import type { WorkerHostPort } from '../model/index.ts';
import type { HostView } from './choose-host.ts';

/** A worker host as placement sees it: the host and its current capacity and health. */
export interface PlacedHost {
  readonly host: WorkerHostPort;
  /**
   * Current view of the host's capacity, health and the function's sandboxes on it. The
   * committed memory counts sandboxes from the start of `createSandbox` until their
   * destruction starts, so consecutive placements never hand out the same memory.
   */
  view(functionName: string): HostView;
}

/**
 * The hosts placement may choose among, asked afresh at every placement: hosts join and
 * leave (registration, lost heartbeats, drain, lease expiry) without placement holding a list.
 * The in-process host is one entry; remote hosts' clients are others.
 */
export interface HostDirectory {
  hosts(): Iterable<PlacedHost>;
}

/** A directory of hosts registered once (the embedded default: the in-process host). */
export class StaticHostDirectory implements HostDirectory {
  readonly #hosts: PlacedHost[] = [];

  register(host: PlacedHost): void {
    this.#hosts.push(host);
  }

  /** Removes a host (it went silent, drained, or registered again as a new one). */
  unregister(hostId: string): void {
    const i = this.#hosts.findIndex((h) => h.host.id === hostId);
    if (i >= 0) this.#hosts.splice(i, 1);
  }

  hosts(): Iterable<PlacedHost> {
    return this.#hosts;
  }
}
