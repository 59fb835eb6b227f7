/**
 * Serves the Runtime API (2018-06-01) to every sandbox of one worker host, so that a sandbox can
 * only reach its own session: it can read and answer only its own invocations.
 *
 * - Sandboxes with their own network address share one listener per host address on port 9001
 *   (as in AWS, `169.254.100.1:9001`); a connection is tied to a session by its source address
 *   when it is accepted, and a connection from an unknown address is dropped.
 * - Sandboxes that cannot be told apart by address (no network isolation) get a listener of
 *   their own on an ephemeral port of `listenHost` (127.0.0.1 in practice).
 *
 * Use: `const session = server.open(id)` before the driver starts the sandbox, then pass
 * `{ bindRuntimeApi: (b) => server.bind(id, b) }` as the driver's hook; `session.close()` at the end.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../../shared/index.ts';
import type { RuntimeApiBinding } from '../sandbox/sandbox-driver.ts';
import { routeRequest } from './route-request.ts';
import { RuntimeSession, type RuntimeSessionHandle } from './runtime-session.ts';

export interface RuntimeApiServerOptions {
  /** Port of the shared per-address listeners; AWS uses 9001. 0 picks a free port (tests). */
  readonly sharedPort?: number;
  readonly log?: Logger;
}

interface SharedListener {
  readonly server: Server;
  readonly port: Promise<number>;
  /** Source address -> session, for connections accepted from now on. */
  readonly byAddress: Map<string, RuntimeSession>;
}

export const DEFAULT_RUNTIME_API_PORT = 9001;
/** Largest header block (or trailer block) of a Runtime API request. */
const MAX_HEADER_BYTES = 256 * 1024;

export class RuntimeApiServer {
  readonly #sharedPort: number;
  readonly #log: Logger | undefined;
  readonly #sessions = new Map<string, { session: RuntimeSession; release: (() => void) | undefined }>();
  readonly #shared = new Map<string, SharedListener>();
  readonly #socketSessions = new WeakMap<Socket, RuntimeSession>();

  constructor(options: RuntimeApiServerOptions = {}) {
    this.#sharedPort = options.sharedPort ?? DEFAULT_RUNTIME_API_PORT;
    this.#log = options.log;
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
   * The driver's `bindRuntimeApi` hook. Pre: `open(sandboxId)` was called and not yet bound; with
   * `sandboxAddress`, no other open session uses that address on `listenHost`.
   * Post: resolves `host:port` for AWS_LAMBDA_RUNTIME_API; connections reach only this session.
   */
  async bind(sandboxId: string, binding: RuntimeApiBinding): Promise<string> {
    const entry = this.#sessions.get(sandboxId);
    if (!entry) throw new Error(`runtime API session ${sandboxId} is not open`);
    if (entry.release) throw new Error(`runtime API session ${sandboxId} is already bound`);
    const { session } = entry;
    if (binding.sandboxAddress === undefined) {
      const server = this.#createHttpServer(() => session);
      server.on('connection', (socket: Socket) => this.#accept(socket, session));
      const port = await listen(server, 0, binding.listenHost);
      entry.release = () => server.close();
      if (session.state === 'Closed') entry.release();
      return hostPort(binding.listenHost, port);
    }
    const listener = this.#sharedListener(binding.listenHost);
    const address = normalizeAddress(binding.sandboxAddress);
    const owner = listener.byAddress.get(address);
    if (owner && owner !== session) throw new Error(`address ${address} is already bound to sandbox ${owner.sandboxId}`);
    listener.byAddress.set(address, session);
    entry.release = () => {
      if (listener.byAddress.get(address) === session) listener.byAddress.delete(address);
    };
    return hostPort(binding.listenHost, await listener.port);
  }

  /** The open session of a sandbox, if any. */
  get(sandboxId: string): RuntimeSessionHandle | undefined {
    return this.#sessions.get(sandboxId)?.session;
  }

  /** Closes every session and listener. Post: no socket or port remains open. */
  async close(): Promise<void> {
    for (const { session } of [...this.#sessions.values()]) session.close();
    const closing = [...this.#shared.values()].map(async (listener) => {
      await listener.port.catch(() => undefined);
      listener.server.closeAllConnections();
      await new Promise<void>((resolve) => listener.server.close(() => resolve()));
    });
    this.#shared.clear();
    await Promise.all(closing);
  }

  #release(sandboxId: string): void {
    const entry = this.#sessions.get(sandboxId);
    this.#sessions.delete(sandboxId);
    entry?.release?.();
  }

  #sharedListener(listenHost: string): SharedListener {
    let listener = this.#shared.get(listenHost);
    if (listener) return listener;
    const byAddress = new Map<string, RuntimeSession>();
    const server = this.#createHttpServer((req) => this.#socketSessions.get(req.socket));
    server.on('connection', (socket: Socket) => {
      const session = byAddress.get(normalizeAddress(socket.remoteAddress ?? ''));
      if (session) this.#accept(socket, session);
      else {
        this.#log?.warn({ remoteAddress: socket.remoteAddress, listenHost }, 'runtime API: connection from unknown address dropped');
        socket.destroy();
      }
    });
    const port = listen(server, this.#sharedPort, listenHost);
    port.catch((err: unknown) => {
      this.#log?.error({ err, listenHost }, 'runtime API: shared listener failed');
      this.#shared.delete(listenHost);
    });
    listener = { server, port, byAddress };
    this.#shared.set(listenHost, listener);
    return listener;
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

/** `::ffff:10.0.0.2` (IPv4-mapped, as dual-stack sockets report it) -> `10.0.0.2`. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
