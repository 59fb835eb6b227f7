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
import { headerValue, PeerCallFailed, PeerHttp } from '../shared/index.ts';
import {
  CLUSTER_KEY_HEADER,
  decodeForwardedAnswer,
  decodeForwardedRequest,
  encodeForwardedError,
  encodeForwardedRequest,
  encodeForwardedResult,
  FORWARDED_INVOKE_PATH,
  HEAD_LENGTH_HEADER,
  MAX_HEAD_BYTES,
  type Frame,
} from './forwarded-invoke-wire.ts';
import { MAX_SYNC_PAYLOAD_BYTES } from './invoke-limits.ts';

export interface OwnerInvokerOptions {
  readonly clusterKey: string;
  /**
   * Added to the function's timeout: the longest a forwarded invoke waits for the owner's answer
   * (the owner may start a sandbox first). Past it the invoke fails as a PlatformFault.
   */
  readonly marginMs: number;
}

export class OwnerInvoker {
  readonly #o: OwnerInvokerOptions;
  /** Keep-alive connections per owner endpoint. */
  readonly #peers = new Map<string, PeerHttp>();

  constructor(options: OwnerInvokerOptions) {
    this.#o = options;
  }

  /**
   * Runs the invoke on the owner at `endpoint`; its domain errors are rethrown here. 'unreachable' when
   * no connection was made (refused, or not accepted in time: the request never reached it); any other
   * lost owner, or no answer within
   * `functionTimeoutMs` plus the margin, is a PlatformFault.
   */
  async invoke(endpoint: string, request: InvokeRequest, functionTimeoutMs: number): Promise<InvokeResult | 'unreachable'> {
    const peer = this.#peer(endpoint);
    const sent = encodeForwardedRequest(request);
    let headLength: string | undefined;
    let body: Buffer;
    try {
      const response = await peer.call({
        method: 'POST',
        path: FORWARDED_INVOKE_PATH,
        headers: frameHeaders(sent, { [CLUSTER_KEY_HEADER]: this.#o.clusterKey }),
        body: sent.body,
        timeoutMs: functionTimeoutMs + this.#o.marginMs,
      });
      if (response.status !== 200) throw new Error(`the owning front end answered ${response.status}: ${response.body.toString('utf8', 0, 200)}`);
      headLength = headerValue(response.headers, HEAD_LENGTH_HEADER);
      body = response.body;
    } catch (err) {
      if (err instanceof PeerCallFailed && err.neverReached) {
        this.#peers.delete(endpoint);
        peer.close();
        return 'unreachable';
      }
      throw new PlatformFault(err);
    }
    let result: InvokeResult;
    try {
      result = decodeForwardedAnswer(headLength, body);
    } catch (err) {
      throw isDomainError(err) ? err : new PlatformFault(err);
    }
    return result;
  }

  /** Closes the connections to every owner. */
  close(): void {
    for (const peer of this.#peers.values()) peer.close();
    this.#peers.clear();
  }

  #peer(endpoint: string): PeerHttp {
    let peer = this.#peers.get(endpoint);
    if (peer === undefined) this.#peers.set(endpoint, (peer = new PeerHttp(endpoint)));
    return peer;
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
  app.post<{ Body: Buffer }>(FORWARDED_INVOKE_PATH, { bodyLimit: MAX_SYNC_PAYLOAD_BYTES + MAX_HEAD_BYTES }, async (req, reply) => {
    const given = Buffer.from(String(req.headers[CLUSTER_KEY_HEADER] ?? ''));
    if (given.length !== key.length || !timingSafeEqual(given, key)) return reply.code(403).send({ message: 'not a front end of this cluster' });
    let request: InvokeRequest;
    try {
      request = decodeForwardedRequest(headerValue(req.headers, HEAD_LENGTH_HEADER), Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    } catch (err) {
      return reply.code(400).send({ message: err instanceof Error ? err.message : String(err) });
    }
    let answer: Frame;
    try {
      answer = encodeForwardedResult(await deps.runHere(request));
    } catch (err) {
      answer = encodeForwardedError(isDomainError(err) ? err : new PlatformFault(err));
    }
    return reply.code(200).headers(frameHeaders(answer, {})).send(answer.body);
  });
}

function frameHeaders(frame: Frame, extra: Record<string, string>): Record<string, string> {
  return { ...extra, 'content-type': 'application/octet-stream', [HEAD_LENGTH_HEADER]: String(frame.headLength) };
}
