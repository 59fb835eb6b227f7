/**
 * How a front end hands a synchronous invoke to the front end that owns the function, and
 * gets its result back (cluster only). Both ways the body is one frame: a small JSON head
 * (the request's fields; the answer's target and outcome fields, or the owner's domain error)
 * then the payload's raw bytes, the head's byte length in a header. No base64, no JSON over the
 * payload; and no header carries the target (a version's configuration can outgrow Node's
 * 16 KB header limit). The owner never forwards again.
 */
import {
  FunctionNotFound,
  FunctionNotReady,
  PlatformFault,
  RuntimeUnavailable,
  Throttled,
  type FunctionState,
  type InvocationOutcome,
  type InvokeRequest,
  type InvokeResult,
  type KnownDomainError,
  type ResolvedTarget,
  type ThrottleReason,
} from '../model/index.ts';

/** The internal route's path on every front end. */
export const FORWARDED_INVOKE_PATH = '/flint/cluster/invoke';
/** The header that carries the cluster's shared key. */
export const CLUSTER_KEY_HEADER = 'x-flint-cluster-key';
/** The header that gives the byte length of the JSON head at the start of the body (both ways). */
export const HEAD_LENGTH_HEADER = 'x-flint-head-length';
/** The longest head accepted: a version's configuration with its environment, and a 4 KB log tail. */
export const MAX_HEAD_BYTES = 1024 * 1024;

/** A body as it travels: the head's length (for HEAD_LENGTH_HEADER) and the bytes to send. */
export interface Frame {
  readonly headLength: number;
  readonly body: Buffer;
}

interface ForwardedRequestHead {
  readonly entry: InvokeRequest['entry'];
  readonly requestId: string;
  readonly functionName: string;
  readonly qualifier: string | null;
  readonly clientContext: string | null;
  readonly tailLog: boolean;
}

type OutcomeHead = Omit<InvocationOutcome, 'payload'>;

type ErrorWire =
  | { readonly kind: 'FunctionNotFound'; readonly resource: string }
  | { readonly kind: 'FunctionNotReady'; readonly functionName: string; readonly state: FunctionState }
  | { readonly kind: 'Throttled'; readonly reason: ThrottleReason; readonly retryAfterMs: number | null }
  | { readonly kind: 'RuntimeUnavailable'; readonly problem: RuntimeUnavailable['problem']; readonly message: string }
  | { readonly kind: 'PlatformFault'; readonly message: string };

type AnswerHead = { readonly ok: true; readonly target: ResolvedTarget; readonly outcome: OutcomeHead } | { readonly ok: false; readonly error: ErrorWire };

/** A head and the payload after it. */
function frame(head: unknown, payload: Buffer): Frame {
  const json = Buffer.from(JSON.stringify(head), 'utf8');
  return { headLength: json.length, body: payload.length === 0 ? json : Buffer.concat([json, payload], json.length + payload.length) };
}

/** The head and the payload (a view, not a copy) of a received body; throws on a malformed one. */
function unframe<T>(headLength: string | undefined, body: Buffer): { head: T; payload: Buffer } {
  const n = Number(headLength);
  if (headLength === undefined || !Number.isInteger(n) || n < 2 || n > MAX_HEAD_BYTES || n > body.length) throw new Error(`malformed forwarded invoke frame (head length ${String(headLength)}, body ${body.length} bytes)`);
  return { head: JSON.parse(body.toString('utf8', 0, n)) as T, payload: body.subarray(n) };
}

export function encodeForwardedRequest(r: InvokeRequest): Frame {
  const head: ForwardedRequestHead = {
    entry: r.entry,
    requestId: r.requestId,
    functionName: r.functionName,
    qualifier: r.qualifier ?? null,
    clientContext: r.clientContext ?? null,
    tailLog: r.tailLog === true,
  };
  return frame(head, r.payload);
}

/** `headLength`: the HEAD_LENGTH_HEADER as received. Throws on a malformed frame. */
export function decodeForwardedRequest(headLength: string | undefined, body: Buffer): InvokeRequest {
  const { head: w, payload } = unframe<ForwardedRequestHead>(headLength, body);
  return {
    entry: w.entry,
    requestId: w.requestId,
    functionName: w.functionName,
    qualifier: w.qualifier ?? undefined,
    invocationType: 'RequestResponse',
    payload,
    clientContext: w.clientContext ?? undefined,
    tailLog: w.tailLog,
  };
}

/** Only completed invokes are forwarded (DryRun and Event stay where they arrived). */
export function encodeForwardedResult(result: InvokeResult): Frame {
  if (result.kind !== 'completed') throw new Error(`a forwarded invoke ended as ${result.kind}`);
  const { payload, ...outcome } = result.outcome;
  const head: AnswerHead = { ok: true, target: result.target, outcome };
  return frame(head, payload);
}

/** The owner's domain error as data; any other failure travels as a PlatformFault. */
export function encodeForwardedError(err: KnownDomainError): Frame {
  return frame({ ok: false, error: errorWire(err) } satisfies AnswerHead, Buffer.alloc(0));
}

function errorWire(err: KnownDomainError): ErrorWire {
  switch (err.kind) {
    case 'FunctionNotFound':
      return { kind: err.kind, resource: err.resource };
    case 'FunctionNotReady':
      return { kind: err.kind, functionName: err.functionName, state: err.state };
    case 'Throttled':
      return { kind: err.kind, reason: err.reason, retryAfterMs: err.retryAfterMs ?? null };
    case 'RuntimeUnavailable':
      return { kind: err.kind, problem: err.problem, message: err.message };
    default:
      return { kind: 'PlatformFault', message: err.message };
  }
}

/** The result, or throws the owner's domain error (a malformed answer throws a plain Error). */
export function decodeForwardedAnswer(headLength: string | undefined, body: Buffer): InvokeResult {
  const { head: w, payload } = unframe<AnswerHead>(headLength, body);
  if (w.ok) return { kind: 'completed', target: w.target, outcome: { ...w.outcome, payload } };
  const e = w.error;
  switch (e.kind) {
    case 'FunctionNotFound':
      throw new FunctionNotFound(e.resource);
    case 'FunctionNotReady':
      throw new FunctionNotReady(e.functionName, e.state);
    case 'Throttled':
      throw new Throttled(e.reason, e.retryAfterMs ?? undefined);
    case 'RuntimeUnavailable':
      throw new RuntimeUnavailable(e.problem, e.message);
    case 'PlatformFault':
      throw new PlatformFault(new Error(`on the owning front end: ${e.message}`));
  }
}
