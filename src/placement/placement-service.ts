import type { FunctionVersionConfig } from '../model/index.ts';
import { ApiError } from '../shared/index.ts';
import type { PlacementPort, WorkerHostPort } from '../worker-manager/index.ts';
import { chooseHost, type HostView } from './choose-host.ts';

/** A worker host as placement tracks it. */
export interface PlacedHost {
  readonly host: WorkerHostPort;
  /** Current view of the host's capacity and the function's sandboxes on it. */
  view(functionName: string): HostView;
}

/**
 * Chooses the worker host for each new sandbox among the registered hosts. When
 * no host has room, the caller gets a clear 429 rather than a hang.
 */
export class PlacementService implements PlacementPort {
  readonly #hosts: PlacedHost[] = [];

  register(host: PlacedHost): void {
    this.#hosts.push(host);
  }

  chooseHost(version: FunctionVersionConfig): WorkerHostPort {
    const views = this.#hosts.map((h) => h.view(version.functionName));
    const id = chooseHost(views, version.memorySizeMb);
    const chosen = this.#hosts.find((h) => h.host.id === id);
    if (!chosen) {
      throw new ApiError('TooManyRequestsException', 'Rate Exceeded.', { Reason: 'ConcurrentInvocationLimitExceeded' });
    }
    return chosen.host;
  }
}
