/**
 * Cluster only: the synchronous invokes of a function run on the front end that owns it
 * (cluster/function-owner.ts), so its warm sandboxes and its concurrency are in one worker
 * manager and one counting service. `OwnerInvoker` sends an invoke there over keep-alive
 * HTTP; `registerForwardedInvokeRoute` is the owner's side. Front ends prove they belong to
 * the cluster with its shared key.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from '../api/index.ts';
import { isDomainError, PlatformFault, type InvokeRequest, type InvokeResult } from '../model/index.ts';
import {
  CLUSTER_KEY_HEADER,
  decodeForwardedAnswer,
  decodeForwardedRequest,
  encodeForwardedError,
  encodeForwardedRequest,
  encodeForwardedResult,
  FORWARDED_INVOKE_PATH,
  type ForwardedAnswerWire,
  type ForwardedRequestWire,
} from './forwarded-invoke-wire.ts';
import { MAX_SYNC_PAYLOAD_BYTES } from './invoke-limits.ts';

export class OwnerInvoker {
  readonly #clusterKey: string;

  constructor(clusterKey: string) {
    this.#clusterKey = clusterKey;
  }

  /**
   * Runs the invoke on the owner at `endpoint`; its domain errors are rethrown here. 'unreachable' when
   * the connection was refused (the request never reached it); any other lost owner is a PlatformFault.
   */
  async invoke(endpoint: string, request: InvokeRequest): Promise<InvokeResult | 'unreachable'> {
    let answer: ForwardedAnswerWire;
    try {
      const response = await fetch(`${endpoint}${FORWARDED_INVOKE_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CLUSTER_KEY_HEADER]: this.#clusterKey },
        body: JSON.stringify(encodeForwardedRequest(request)),
      });
      if (response.status !== 200) throw new Error(`the owning front end answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
      answer = (await response.json()) as ForwardedAnswerWire;
    } catch (err) {
      if (refused(err)) return 'unreachable';
      throw new PlatformFault(err);
    }
    return decodeForwardedAnswer(answer);
  }
}

export interface ForwardedInvokeRouteDeps {
  readonly clusterKey: string;
  /** Runs an invoke on this front end, never forwarding it again. */
  readonly runHere: (request: InvokeRequest) => Promise<InvokeResult>;
}

/** `POST /flint/cluster/invoke`: an invoke another front end sent to this one, the function's owner. */
export function registerForwardedInvokeRoute(app: FastifyInstance, deps: ForwardedInvokeRouteDeps): void {
  const key = Buffer.from(deps.clusterKey);
  app.post<{ Body: Buffer }>(FORWARDED_INVOKE_PATH, { bodyLimit: Math.ceil((MAX_SYNC_PAYLOAD_BYTES * 4) / 3) + 1024 * 1024 }, async (req, reply) => {
    const given = Buffer.from(String(req.headers[CLUSTER_KEY_HEADER] ?? ''));
    if (given.length !== key.length || !timingSafeEqual(given, key)) return reply.code(403).send({ message: 'not a front end of this cluster' });
    let answer: ForwardedAnswerWire;
    try {
      answer = encodeForwardedResult(await deps.runHere(decodeForwardedRequest(JSON.parse(req.body.toString('utf8')) as ForwardedRequestWire)));
    } catch (err) {
      answer = encodeForwardedError(isDomainError(err) ? err : new PlatformFault(err));
    }
    return reply.code(200).send(answer);
  });
}

/** fetch failed before sending anything: the connection was refused (nothing listens there now). */
function refused(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  return cause?.code === 'ECONNREFUSED';
}
