/**
 * This front end's answer to "who runs this function's invokes": the owner among the live
 * front ends (ownerOf), remembered per function until the membership changes, so that a warm
 * invoke pays one map lookup rather than a hash per front end.
 */
import type { FrontEndRecord } from '../storage/index.ts';
import { ownerOf } from './function-owner.ts';

export class FunctionOwners {
  readonly #selfId: string;
  readonly #live: () => readonly FrontEndRecord[];
  /** Function name -> the owner's endpoint, or null when this front end owns it. */
  readonly #owners = new Map<string, string | null>();
  #frontEnds: readonly FrontEndRecord[] | undefined;

  /** `live`: the live front ends, this one among them (FrontEndDirectory.live). */
  constructor(selfId: string, live: () => readonly FrontEndRecord[]) {
    this.#selfId = selfId;
    this.#live = live;
  }

  /** The owner's endpoint, or undefined when this front end owns `functionName`. */
  endpointOf(functionName: string): string | undefined {
    let owner = this.#owners.get(functionName);
    if (owner === undefined) {
      const frontEnds = (this.#frontEnds ??= this.#live());
      const id = ownerOf(functionName, frontEnds.map((f) => f.id));
      owner = id === undefined || id === this.#selfId ? null : (frontEnds.find((f) => f.id === id)?.endpoint ?? null);
      this.#owners.set(functionName, owner);
    }
    return owner ?? undefined;
  }

  /** True when this front end owns `functionName`. */
  ownsHere(functionName: string): boolean {
    return this.endpointOf(functionName) === undefined;
  }

  /** The live front ends changed: every owner is computed again. */
  membershipChanged(): void {
    this.#owners.clear();
    this.#frontEnds = undefined;
  }
}
