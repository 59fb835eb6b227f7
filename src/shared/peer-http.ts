import * as http from 'node:http';
import * as https from 'node:https';

/** One call to a peer: the body is sent as given (raw bytes), the answer is read whole. */
export interface PeerRequest {
  readonly method: string;
  /** Path and query, appended to the peer's endpoint. */
  readonly path: string;
  readonly headers?: http.OutgoingHttpHeaders;
  readonly body?: Buffer | string;
  /** The longest the whole call may take (sending, the peer's work, the answer); the only timeout there is. */
  readonly timeoutMs: number;
  /** Ends the call early (its reason is the error). */
  readonly signal?: AbortSignal;
}

export interface PeerResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** The code of a connection the peer did not accept within the connect timeout. */
export const CONNECT_TIMEOUT = 'FLINT_CONNECT_TIMEOUT';

/**
 * A call to a peer that got no (whole) answer. `neverReached`: no connection was made (refused:
 * nothing listens there; or not accepted within the connect timeout), so the peer cannot have
 * seen the request.
 */
export class PeerCallFailed extends Error {
  readonly code: string | undefined;
  readonly neverReached: boolean;

  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'PeerCallFailed';
    this.code = (cause as { code?: unknown } | undefined)?.code === undefined ? undefined : String((cause as { code: unknown }).code);
    this.neverReached = this.code === 'ECONNREFUSED' || this.code === CONNECT_TIMEOUT;
  }
}

export interface PeerHttpOptions {
  /** Most connections open to the peer at once (each in-flight call holds one). */
  readonly maxSockets?: number;
  /** The longest a new connection may take to be accepted (default 10 s, as fetch's). */
  readonly connectTimeoutMs?: number;
}

/**
 * Keep-alive HTTP to one peer process in the cluster (a worker host's API, another front end):
 * a `node:http` agent of its own, raw bodies, and no timeout but the caller's (unlike `fetch`,
 * whose 300 s headers/body timeouts would cut a 15-minute function short). An idle connection
 * is dropped a second before the peer's announced keep-alive timeout (Node's agent reads the
 * `Keep-Alive: timeout=` hint), so a call rarely lands on a connection the peer is closing.
 */
export class PeerHttp {
  readonly endpoint: string;
  readonly #url: URL;
  readonly #agent: http.Agent;
  readonly #request: typeof http.request;
  readonly #connectTimeoutMs: number;

  constructor(endpoint: string, options: PeerHttpOptions = {}) {
    this.endpoint = endpoint;
    this.#url = new URL(endpoint);
    const secure = this.#url.protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 1024, maxFreeSockets: 64, scheduling: 'lifo' as const };
    this.#agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.#request = secure ? https.request : http.request;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  }

  call(r: PeerRequest): Promise<PeerResponse> {
    const failed = (err: unknown): PeerCallFailed =>
      err instanceof PeerCallFailed ? err : new PeerCallFailed(`${r.method} ${this.endpoint}${r.path}: ${err instanceof Error ? err.message : String(err)}`, err);
    if (r.signal?.aborted) return Promise.reject(failed(r.signal.reason));
    return new Promise<PeerResponse>((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { ...r.headers };
      if (r.body !== undefined) headers['content-length'] = Buffer.byteLength(r.body);
      const req = this.#request({
        protocol: this.#url.protocol,
        hostname: this.#url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: this.#url.port,
        path: r.path,
        method: r.method,
        headers,
        agent: this.#agent,
      });
      let settled = false;
      let connecting: NodeJS.Timeout | undefined;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        clearTimeout(connecting);
        r.signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const fail = (err: unknown): void => {
        if (!settle()) return;
        req.destroy();
        reject(failed(err));
      };
      const onAbort = (): void => fail(r.signal?.reason);
      const timer = setTimeout(() => fail(new Error(`no answer within ${r.timeoutMs} ms`)), r.timeoutMs);
      r.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', fail);
      req.on('socket', (socket) => {
        if (!socket.connecting) return; // a kept-alive connection
        connecting = setTimeout(() => fail(Object.assign(new Error(`no connection within ${this.#connectTimeoutMs} ms`), { code: CONNECT_TIMEOUT })), this.#connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connecting));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('error', fail);
        res.on('end', () => {
          if (settle()) resolve({ status: res.statusCode ?? 0, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
        });
        res.on('close', () => {
          if (!res.complete) fail(new Error('the connection closed before the whole answer arrived'));
        });
      });
      req.end(r.body);
    });
  }

  /** Closes its connections (the calls in flight on them fail); a later call opens new ones. */
  close(): void {
    this.#agent.destroy();
  }
}

/** A string header's value (the first of a repeated one), undefined when absent. */
export function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
