/**
 * Wire rendering of Runtime API answers, as in AWS's emulator (RIE `rendering/render_error.go`):
 * every error is `{"errorMessage","errorType"}` with `Content-Type: application/json`.
 */
import type { ServerResponse } from 'node:http';
import type { Invocation, RuntimeInit } from './invocation.ts';

/** RIE `interop.MaxPayloadSize`: 6 MiB + 100 bytes, the largest function response accepted. */
export const MAX_RESPONSE_PAYLOAD_BYTES = 6 * 1024 * 1024 + 100;

/**
 * The largest streamed response (`Lambda-Runtime-Function-Response-Mode: streaming`) forwarded to a
 * streaming caller: AWS's default maximum of 20 MiB. A streamed response to a buffered Invoke keeps
 * MAX_RESPONSE_PAYLOAD_BYTES. AWS's bandwidth cap after the first 6 MB is not applied.
 */
export const MAX_STREAMED_RESPONSE_BYTES = 20 * 1024 * 1024;

/** Error bodies of the Runtime API that do not depend on the request. */
export const RUNTIME_API_ERRORS = {
  invalidRequestId: { status: 400, errorType: 'InvalidRequestID', errorMessage: 'Invalid request ID' },
  tooLarge: {
    status: 413,
    errorType: 'RequestEntityTooLarge',
    errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_PAYLOAD_BYTES} bytes).`,
  },
  invalidResponseMode: { status: 400, errorType: 'InvalidFunctionResponseMode', errorMessage: 'Invalid function response mode' },
  truncated: { status: 400, errorType: 'TruncatedHTTPRequest', errorMessage: 'HTTP request detected as truncated' },
  internal: { status: 500, errorType: 'InternalServerError', errorMessage: 'Internal Server Error' },
  notFound: { status: 404, errorType: 'NotFound', errorMessage: 'Not Found' },
  methodNotAllowed: { status: 405, errorType: 'MethodNotAllowed', errorMessage: 'Method Not Allowed' },
} as const;

/** A refusal of a Runtime API call: status plus the two body fields. */
export interface RuntimeApiRefusal {
  readonly status: number;
  readonly errorType: string;
  readonly errorMessage: string;
}

/** 403 `InvalidStateTransition` with RIE's message text (state names as RIE spells them). */
export function invalidStateTransition(from: string, to: string): RuntimeApiRefusal {
  return {
    status: 403,
    errorType: 'InvalidStateTransition',
    errorMessage: `State transition from ${from} to ${to} failed for runtime. Error: State transition is not allowed`,
  };
}

export function renderRefusal(res: ServerResponse, refusal: RuntimeApiRefusal): void {
  const body = JSON.stringify({ errorMessage: refusal.errorMessage, errorType: refusal.errorType });
  res.writeHead(refusal.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const ACCEPTED = Buffer.from('{"status":"OK"}');

/** 202 `{"status":"OK"}`: the answer to every accepted POST. */
export function renderAccepted(res: ServerResponse): void {
  res.writeHead(202, { 'Content-Type': 'application/json', 'Content-Length': ACCEPTED.length });
  res.end(ACCEPTED);
}

/** 200 answer to `GET /runtime/invocation/next`: the payload verbatim plus every `Lambda-Runtime-*` header that has a value. */
export function renderInvocation(res: ServerResponse, inv: Invocation): void {
  const headers: Record<string, string | number> = {
    'Content-Type': inv.contentType ?? 'application/json',
    'Content-Length': inv.payload.length,
    'Lambda-Runtime-Aws-Request-Id': inv.requestId,
    'Lambda-Runtime-Deadline-Ms': String(inv.deadlineMs),
    'Lambda-Runtime-Invoked-Function-Arn': inv.invokedFunctionArn,
  };
  if (inv.traceId) headers['Lambda-Runtime-Trace-Id'] = inv.traceId;
  if (inv.clientContext) headers['Lambda-Runtime-Client-Context'] = inv.clientContext;
  if (inv.cognitoIdentity) headers['Lambda-Runtime-Cognito-Identity'] = inv.cognitoIdentity;
  if (inv.tenantId) headers['Lambda-Runtime-Aws-Tenant-Id'] = inv.tenantId;
  res.writeHead(200, headers);
  res.end(inv.payload);
}

/**
 * 200 answer to Flint's `GET /2018-06-01/flint/specialize`: `{"handler","env"}` as JSON, or with
 * `?format=env0` the environment as `KEY=VALUE\0` records (for shell-based cells).
 */
export function renderSpecialization(res: ServerResponse, init: RuntimeInit, format: 'json' | 'env0'): void {
  let body: Buffer;
  if (format === 'env0') {
    let text = '';
    for (const [key, value] of Object.entries(init.env)) text += `${key}=${value}\0`;
    body = Buffer.from(text);
  } else {
    body = Buffer.from(JSON.stringify({ handler: init.handler, env: init.env }));
  }
  res.writeHead(200, {
    'Content-Type': format === 'env0' ? 'application/octet-stream' : 'application/json',
    'Content-Length': body.length,
  });
  res.end(body);
}
