/**
 * The cluster's wire shapes: the front-end routes a worker host calls (registration, heartbeats,
 * code), and the host API a front end calls on a worker host (sandboxes, invoke, drain).
 * docs/cluster.md describes the protocol.
 */
import type { FunctionVersionConfig, InitializationType, SandboxCredentials } from '../model/index.ts';

/** Front-end routes (authenticated by the join token for registration, by the host key after it). */
export const CLUSTER_PATHS = {
  hosts: '/flint/cluster/hosts',
  host: (id: string) => `/flint/cluster/hosts/${encodeURIComponent(id)}`,
  heartbeat: (id: string) => `/flint/cluster/hosts/${encodeURIComponent(id)}/heartbeat`,
  drain: (id: string) => `/flint/cluster/hosts/${encodeURIComponent(id)}/drain`,
  code: (sha256Hex: string) => `/flint/cluster/code/${sha256Hex}`,
  logs: '/flint/cluster/logs',
} as const;

/** Host API routes on a worker host (authenticated by the host key; drain also by the join token). */
export const HOST_PATHS = {
  sandboxes: '/flint/host/sandboxes',
  sandbox: (id: string) => `/flint/host/sandboxes/${encodeURIComponent(id)}`,
  invoke: (id: string) => `/flint/host/sandboxes/${encodeURIComponent(id)}/invoke`,
  drain: '/flint/host/drain',
} as const;

/** Header naming the host on its calls to a front end (with its key as the bearer token). */
export const HOST_ID_HEADER = 'x-flint-host-id';

export interface RegisterRequest {
  readonly hostId: string;
  readonly endpoint: string;
  readonly memoryMb: number;
  readonly cpus: number;
  readonly runtimes: readonly string[];
}

export interface RegisterResponse {
  readonly apiKey: string;
  readonly leaseExpiresMs: number;
  readonly heartbeatIntervalMs: number;
}

export interface HeartbeatRequest {
  readonly memoryInUseMb: number;
  readonly sandboxes: number;
}

/**
 * `drain`: the host's lease is over or a front end asked it to drain. `frontEnds`: base URLs of the
 * live front ends (any of them accepts this host's calls; the host moves to another when its own
 * stops answering). An unknown host gets 404 `{ unknownHost: true }`.
 */
export interface HeartbeatResponse {
  readonly drain: boolean;
  readonly frontEnds: readonly string[];
}

/**
 * `POST /flint/cluster/logs` (host key): log events of the host's sandboxes, `[timestampMs, message]`
 * each, in append order per stream. The front end answers 204 once every one is stored.
 */
export interface LogShipment {
  readonly streams: ReadonlyArray<{ readonly group: string; readonly stream: string; readonly events: ReadonlyArray<readonly [number, string]> }>;
}

export interface CreateSandboxRequest {
  readonly version: FunctionVersionConfig;
  readonly initType: InitializationType;
  /** Base URL of the front end placing it: where the host fetches the version's code. */
  readonly codeFrom: string;
  /** The sandbox's execution-role credentials, minted by the front end placing it. */
  readonly credentials?: SandboxCredentials | undefined;
}

export interface CreateSandboxResponse {
  readonly id: string;
  readonly initError: string | undefined;
  readonly alive: boolean;
}

/** Invocation fields other than the payload (the raw request body) travel in these headers. */
export const INVOKE_HEADERS = {
  requestId: 'x-flint-request-id',
  invokedFunctionArn: 'x-flint-invoked-function-arn',
  /** base64 of the decoded client context */
  clientContext: 'x-flint-client-context',
  tailLog: 'x-flint-tail-log',
  // outcome (the payload is the raw response body)
  contentType: 'x-flint-content-type',
  functionError: 'x-flint-function-error',
  errorType: 'x-flint-error-type',
  logResult: 'x-flint-log-result',
  durationMs: 'x-flint-duration-ms',
  initDurationMs: 'x-flint-init-duration-ms',
  alive: 'x-flint-sandbox-alive',
} as const;
