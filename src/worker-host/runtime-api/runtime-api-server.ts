/**
 * Serves the Runtime API (2018-06-01) to every sandbox of one worker host, so that a sandbox can
 * only reach its own session: it can read and answer only its own invocations. A connection is
 * tied to its session by the listener it came in on, never by its source address:
 *
 * - Sandboxes with a network namespace of their own hand over a socket listening on their own
 *   loopback (`127.0.0.1:9001`, as Lambda's runtimes see it; see RuntimeApiBinding): only that
 *   sandbox reaches it, so every connection accepted on it is that sandbox's. All of them are
 *   served by one HTTP server that never listens itself.
 * - Sandboxes without network isolation get a listener of their own on an ephemeral port of
 *   `listenHost` (127.0.0.1 in practice).
 *
 * Use: `const session = server.open(id)` before the driver starts the sandbox, then pass
 * `{ bindRuntimeApi: (b) => server.bind(id, b) }` as the driver's hook; `session.close()` at the end.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';
import type { Logger } from '../../shared/index.ts';
import type { RuntimeApiBinding, RuntimeApiListenerHandle } from '../sandbox/sandbox-driver.ts';
import { routeRequest } from './route-request.ts';
import { RuntimeSession, type RuntimeSessionHandle } from './runtime-session.ts';

export interface RuntimeApiServerOptions {
  readonly log?: Logger;
}

/** Port of the Runtime API inside a sandbox, as in Lambda (`127.0.0.1:9001`). */
export const DEFAULT_RUNTIME_API_PORT = 9001;
/** Largest header block (or trailer block) of a Runtime API request. */
const MAX_HEADER_BYTES = 256 * 1024;

export class RuntimeApiServer {
  readonly #log: Logger | undefined;
  readonly #sessions = new Map<string, { session: RuntimeSession; release: (() => void) | undefined }>();
  readonly #socketSessions = new WeakMap<Socket, RuntimeSession>();
  /** Serves the connections accepted on handed-over listeners; never listens itself. */
  readonly #handedServer: Server;
  readonly #handedListeners = new Set<NetServer>();

  constructor(options: RuntimeApiServerOptions = {}) {
    this.#log = options.log;
    this.#handedServer = this.#createHttpServer((req) => this.#socketSessions.get(req.socket));
  }

  /**
   * Creates the session of a sandbox about to start. Pre: `sandboxId` has no open session.
   * Post: the session is in state Started and unreachable until `bind`.
   */
  open(sandboxId: string): RuntimeSessionHandle {
    if (this.#sessions.has(sandboxId)) throw new Error(`runtime API session ${sandboxId} is already open`);
    const session = new RuntimeSession(sandboxId, () => this.#release(sandboxId), this.#log);
    this.#sessions.set(sandboxId, { session, release: undefined });
    return session;
  }

  /**
   * The driver's `bindRuntimeApi` hook. Pre: `open(sandboxId)` was called and not yet bound.
   * Post: resolves `host:port` for AWS_LAMBDA_RUNTIME_API; connections reach only this session.
   * A handed-over listener is this server's from the call on (closed with the session, or at once on failure).
   */
  async bind(sandboxId: string, binding: RuntimeApiBinding): Promise<string> {
    const entry = this.#sessions.get(sandboxId);
    if (!entry || entry.release) {
      if ('listener' in binding) binding.listener.close();
      throw new Error(`runtime API session ${sandboxId} is ${entry ? 'already bound' : 'not open'}`);
    }
    const { session } = entry;
    if ('listener' in binding) {
      entry.release = this.#serveHanded(binding.listener, session);
      if (session.state === 'Closed') entry.release();
      return binding.address;
    }
    const server = this.#createHttpServer(() => session);
    server.on('connection', (socket: Socket) => this.#accept(socket, session));
    const port = await listen(server, 0, binding.listenHost);
    entry.release = () => server.close();
    if (session.state === 'Closed') entry.release();
    return hostPort(binding.listenHost, port);
  }

  /** Accepts on a sandbox's own listener; returns what closes it. */
  #serveHanded(handle: RuntimeApiListenerHandle, session: RuntimeSession): () => void {
    const listener = new NetServer({ noDelay: true }, (socket: Socket) => {
      this.#accept(socket, session);
      this.#handedServer.emit('connection', socket);
    });
    listener.on('error', (err) => this.#log?.warn({ err, sandbox: session.sandboxId }, 'runtime API: sandbox listener failed'));
    try {
      listener.listen(handle);
    } catch (err) {
      handle.close();
      throw err;
    }
    this.#handedListeners.add(listener);
    return () => {
      this.#handedListeners.delete(listener);
      listener.close();
    };
  }

  /** The open session of a sandbox, if any. */
  get(sandboxId: string): RuntimeSessionHandle | undefined {
    return this.#sessions.get(sandboxId)?.session;
  }

  /** Closes every session and listener. Post: no socket or port remains open. */
  close(): Promise<void> {
    for (const { session } of [...this.#sessions.values()]) session.close();
    for (const listener of this.#handedListeners) listener.close();
    this.#handedListeners.clear();
    this.#handedServer.closeAllConnections();
    return Promise.resolve();
  }

  #release(sandboxId: string): void {
    const entry = this.#sessions.get(sandboxId);
    this.#sessions.delete(sandboxId);
    entry?.release?.();
  }

  #accept(socket: Socket, session: RuntimeSession): void {
    this.#socketSessions.set(socket, session);
    session.trackSocket(socket);
  }

  #createHttpServer(sessionOf: (req: IncomingMessage) => RuntimeSession | undefined): Server {
    // maxHeaderSize covers the trailers too: a streamed response's error body (base64, with its trace) can pass Node's 16 KB default.
    const server = createServer({ noDelay: true, maxHeaderSize: MAX_HEADER_BYTES }, (req: IncomingMessage, res: ServerResponse) => {
      const session = sessionOf(req);
      if (!session || session.state === 'Closed') {
        req.socket.destroy();
        return;
      }
      routeRequest(req, res, session);
    });
    server.keepAliveTimeout = 0; // connections live as long as their session; close() ends them
    server.requestTimeout = 0; // /next long-polls without limit
    server.headersTimeout = 60_000;
    return server;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
