import { isDomainError, PlatformFault, Throttled, type InvokeRequest, type InvokeResult, type ResolvedTarget } from '../model/index.ts';
import { checkInvocable } from './check-invocable.ts';
import { checkPayloadSize, decodeClientContext, normalisePayload } from './invoke-limits.ts';
import type { CountingPort, EventQueuePort, FunctionResolver, InvokeObserver, OwnerRouting, WorkersPort } from './ports.ts';

export interface InvokeServiceDeps {
  readonly resolver: FunctionResolver;
  readonly counting: CountingPort;
  readonly workers: WorkersPort;
  readonly events: EventQueuePort;
  readonly observer?: InvokeObserver | undefined;
  /** Cluster only: synchronous invokes run on the function's owner (absent: always here). */
  readonly owners?: OwnerRouting | undefined;
}

/**
 * The one way in for every invoke (the Invoke and InvokeWithResponseStream routes,
 * InvokeAsync, the async pollers; later function URLs and event sources):
 *
 *   resolve -> checkInvocable -> payload checks -> DryRun: done | Event: durable enqueue
 *   | RequestResponse: [cluster: the owner's front end runs it] counting lease -> worker claim
 *   (warm or cold) -> sandbox invoke -> release claim and lease in `finally`.
 *
 * Failures are thrown as domain errors (FunctionNotFound, FunctionNotReady,
 * PayloadTooLarge, InvalidPayload, InvalidClientContext, Throttled, ...); anything
 * unexpected from a claim or a sandbox becomes a PlatformFault carrying its cause.
 * Throttles from any step (counting, the function's scale-up rate, a full host)
 * reach the observer with their reason.
 */
export class InvokeService {
  readonly #deps: InvokeServiceDeps;

  constructor(deps: InvokeServiceDeps) {
    this.#deps = deps;
  }

  /** Runs the invoke (in a cluster, a synchronous one on the function's owner). */
  invoke(request: InvokeRequest): Promise<InvokeResult> {
    return this.#invoke(request, true);
  }

  /** Runs the invoke on this front end whoever owns the function (the owner's side of a forwarded invoke). */
  invokeHere(request: InvokeRequest): Promise<InvokeResult> {
    return this.#invoke(request, false);
  }

  async #invoke(request: InvokeRequest, route: boolean): Promise<InvokeResult> {
    const target = await this.#deps.resolver.resolve(request.functionName, request.qualifier);
    checkInvocable(target.config);
    checkPayloadSize(request.entry, request.invocationType, request.payload.length);
    if (request.invocationType === 'DryRun') return { kind: 'dry-run', target };
    // accepted events were checked when they were enqueued
    const payload = request.entry === 'AsyncDelivery' ? request.payload : normalisePayload(request.payload);
    if (request.invocationType === 'Event') {
      // Durable before the caller hears back: the pollers deliver it through this same path.
      await this.#deps.events.enqueue(target, { requestId: request.requestId, payload });
      return { kind: 'queued', target };
    }
    const clientContext = decodeClientContext(request.clientContext);
    // A streamed response cannot travel the forwarding hop (one answer, read whole): it runs where it arrived.
    const owner = route && request.responseStream === undefined ? this.#deps.owners?.ownerOf(target.config.functionName) : undefined;
    if (owner !== undefined) {
      const forwarded = await this.#deps.owners!.forward(owner, request, target.config.timeoutSec * 1000);
      if (forwarded !== 'unreachable') return forwarded;
    }
    return this.#run(target, request, payload, clientContext);
  }

  async #run(target: ResolvedTarget, request: InvokeRequest, payload: Buffer, clientContext: string | undefined): Promise<InvokeResult> {
    const name = target.config.functionName;
    let lease;
    try {
      lease = this.#deps.counting.acquire(name);
    } catch (err) {
      throw this.#failed(name, err);
    }
    try {
      let claim;
      try {
        claim = await this.#deps.workers.claim(target.config);
      } catch (err) {
        throw this.#failed(name, err);
      }
      try {
        const responseSink = request.responseStream?.(target);
        const sandboxRequest = { requestId: request.requestId, payload, invokedFunctionArn: target.invokedFunctionArn, clientContext, tailLog: request.tailLog === true, responseSink };
        let outcome;
        try {
          outcome = await claim.sandbox.invoke(sandboxRequest);
        } catch (err) {
          throw this.#failed(name, err);
        }
        this.#deps.observer?.invoked(name, outcome.functionError ? 'error' : 'success', claim.cold, outcome.durationMs, outcome.initDurationMs);
        return { kind: 'completed', target, outcome };
      } finally {
        claim.release();
      }
    } finally {
      lease.release();
    }
  }

  /** The domain error to throw for a failed step: throttles are recorded, the unexpected becomes a PlatformFault. */
  #failed(functionName: string, err: unknown): Error {
    if (err instanceof Throttled) this.#deps.observer?.throttled(functionName, err.reason);
    return isDomainError(err) ? err : new PlatformFault(err);
  }
}
