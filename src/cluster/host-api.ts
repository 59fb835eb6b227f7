import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from '../api/index.ts';
import type { HostSandbox, InvocationOutcome, WorkerHostPort } from '../model/index.ts';
import type { Logger } from '../shared/index.ts';
import { bearer, sameSecret } from './join-token.ts';
import { HOST_PATHS, INVOKE_HEADERS, type CreateSandboxRequest, type CreateSandboxResponse } from './wire.ts';

export interface HostApiDeps {
  readonly host: WorkerHostPort & { usage(functionName: string): { readonly memoryInUseMb: number } };
  /** The key of the current registration (undefined while not registered: every call is refused). */
  readonly key: () => string | undefined;
  /** The join token this host was started with: also accepted for `drain` (an operator has it, not the key). */
  readonly joinToken: string;
  /** Remembers which front end to fetch a package from. */
  readonly codeFrom: (sha256Hex: string, frontEnd: string) => void;
  /**
   * Runs `run` (a call on a sandbox) with the log lines its sandbox writes meanwhile shipped to `frontEnd`,
   * the front end that placed it (default: runs it as is).
   */
  readonly onBehalfOf?: <T>(frontEnd: string, run: () => Promise<T>) => Promise<T>;
  /** `POST /flint/host/drain`: start draining (the caller is answered at once). */
  readonly onDrainRequested: () => void;
  readonly logger: Logger;
}

interface Entry {
  readonly sandbox: HostSandbox;
  readonly functionName: string;
  /** The front end that created it (the only one that invokes or destroys it). */
  readonly frontEnd: string;
  busy: boolean;
  /** Orphan checks in a row that found its front end gone. */
  missing: number;
}

/** Checks in a row (one a second) a front end must be missing from the live list before its sandboxes go. */
const ORPHAN_CHECKS = 3;

/**
 * The host API of a worker host (docs/cluster.md): the host protocol over HTTP for front ends.
 * Every call carries the registration's key as a bearer token (403 otherwise). While draining it
 * starts no sandbox (503) but still serves invokes on the ones it has.
 */
export class HostApi {
  readonly #deps: HostApiDeps;
  readonly #sandboxes = new Map<string, Entry>();
  #draining = false;

  constructor(deps: HostApiDeps) {
    this.#deps = deps;
  }

  /** Memory in use and sandboxes, for heartbeats. */
  usage(): { memoryInUseMb: number; sandboxes: number } {
    return { memoryInUseMb: this.#deps.host.usage('').memoryInUseMb, sandboxes: this.#sandboxes.size };
  }

  busy(): number {
    let n = 0;
    for (const e of this.#sandboxes.values()) if (e.busy) n++;
    return n;
  }

  /** No new sandboxes from now on. */
  drain(): void {
    this.#draining = true;
  }

  /**
   * Destroys the idle sandboxes of front ends missing from `live` (the live front ends the last
   * heartbeat named) in ORPHAN_CHECKS checks in a row: a front end that died took with it the
   * only worker manager that would have invoked or destroyed them. A busy one goes once idle.
   */
  async reapOrphans(live: readonly string[]): Promise<void> {
    if (live.length === 0) return;
    const alive = new Set(live);
    const gone: Array<[string, Entry]> = [];
    for (const [id, e] of this.#sandboxes) {
      e.missing = alive.has(e.frontEnd) ? 0 : e.missing + 1;
      if (e.missing >= ORPHAN_CHECKS && !e.busy) gone.push([id, e]);
    }
    for (const [id, e] of gone) {
      this.#sandboxes.delete(id);
      this.#deps.logger.info({ sandbox: id, function: e.functionName, frontEnd: e.frontEnd }, 'sandbox of a front end that is gone destroyed');
    }
    await Promise.allSettled(gone.map(([, e]) => e.sandbox.destroy('its front end is gone')));
  }

  /** Destroys every sandbox (draining done, or a clean re-registration). */
  async destroyAll(reason: string): Promise<void> {
    const all = [...this.#sandboxes.values()];
    this.#sandboxes.clear();
    await Promise.allSettled(all.map((e) => e.sandbox.destroy(reason)));
  }

  register(app: FastifyInstance): void {
    const deps = this.#deps;
    const onBehalfOf = <T>(frontEnd: string, run: () => Promise<T>): Promise<T> => (deps.onBehalfOf ? deps.onBehalfOf(frontEnd, run) : run());
    app.addHook('onRequest', (req, reply, done) => {
      const given = bearer(req.headers.authorization);
      const key = deps.key();
      const ok = (key !== undefined && sameSecret(given, key)) || (req.url === HOST_PATHS.drain && sameSecret(given, deps.joinToken));
      if (ok) done();
      else void reply.code(403).send({ message: 'not authorized for this worker host' });
    });

    app.post(HOST_PATHS.sandboxes, async (req, reply) => {
      if (this.#draining) return reply.code(503).send({ message: 'this worker host is draining' });
      const body = JSON.parse((req.body as Buffer).toString('utf8')) as CreateSandboxRequest;
      deps.codeFrom(body.version.codeSha256Hex, body.codeFrom);
      let sandbox: HostSandbox;
      try {
        sandbox = await onBehalfOf(body.codeFrom, () => deps.host.createSandbox(body.version, body.initType, body.credentials));
      } catch (err) {
        deps.logger.warn({ err, function: body.version.functionName }, 'could not start a sandbox');
        return reply.code(500).send({ message: err instanceof Error ? err.message : String(err) });
      }
      if (this.#draining) {
        await onBehalfOf(body.codeFrom, () => sandbox.destroy('draining'));
        return reply.code(503).send({ message: 'this worker host is draining' });
      }
      const id = sandbox.id || randomUUID();
      this.#sandboxes.set(id, { sandbox, functionName: body.version.functionName, frontEnd: body.codeFrom, busy: false, missing: 0 });
      deps.logger.info({ sandbox: id, function: body.version.functionName, version: body.version.version, initError: sandbox.initError }, 'sandbox created');
      const answer: CreateSandboxResponse = { id, initError: sandbox.initError, alive: sandbox.alive };
      return reply.send(answer);
    });

    app.post<{ Params: { id: string } }>(`${HOST_PATHS.sandboxes}/:id/invoke`, async (req, reply) => {
      const entry = this.#sandboxes.get(req.params.id);
      if (entry === undefined) return reply.code(404).send({ message: 'no such sandbox' });
      if (entry.busy) return reply.code(409).send({ message: 'the sandbox is busy' });
      const h = req.headers;
      const clientContext = h[INVOKE_HEADERS.clientContext];
      entry.busy = true;
      deps.logger.debug({ sandbox: req.params.id, function: entry.functionName }, 'invoke started');
      let outcome: InvocationOutcome;
      try {
        // the sandbox answers once its lines are stored (shipped to its front end and acknowledged)
        outcome = await onBehalfOf(entry.frontEnd, () =>
          entry.sandbox.invoke({
            requestId: String(h[INVOKE_HEADERS.requestId] ?? req.id),
            payload: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
            invokedFunctionArn: String(h[INVOKE_HEADERS.invokedFunctionArn] ?? ''),
            clientContext: typeof clientContext === 'string' ? Buffer.from(clientContext, 'base64').toString('utf8') : undefined,
            tailLog: h[INVOKE_HEADERS.tailLog] === 'true',
          }),
        );
      } catch (err) {
        deps.logger.warn({ err, sandbox: req.params.id }, 'an invoke failed on the platform side');
        return reply.code(500).send({ message: err instanceof Error ? err.message : String(err) });
      } finally {
        entry.busy = false;
        if (!entry.sandbox.alive) this.#sandboxes.delete(req.params.id);
      }
      return sendOutcome(reply, outcome, entry.sandbox.alive);
    });

    app.delete<{ Params: { id: string }; Querystring: { reason?: string } }>(`${HOST_PATHS.sandboxes}/:id`, async (req, reply) => {
      const entry = this.#sandboxes.get(req.params.id);
      this.#sandboxes.delete(req.params.id);
      if (entry !== undefined) await onBehalfOf(entry.frontEnd, () => entry.sandbox.destroy(req.query.reason ?? 'destroyed by the front end'));
      return reply.code(204).send();
    });

    app.post(HOST_PATHS.drain, async (_req, reply) => {
      deps.onDrainRequested();
      return reply.code(202).send({ draining: true });
    });
  }
}

function sendOutcome(reply: FastifyReply, o: InvocationOutcome, alive: boolean): FastifyReply {
  reply.header(INVOKE_HEADERS.durationMs, String(o.durationMs)).header(INVOKE_HEADERS.alive, String(alive));
  if (o.contentType !== undefined) reply.header(INVOKE_HEADERS.contentType, o.contentType);
  if (o.functionError !== undefined) reply.header(INVOKE_HEADERS.functionError, o.functionError);
  if (o.errorType !== undefined) reply.header(INVOKE_HEADERS.errorType, o.errorType);
  if (o.logResult !== undefined) reply.header(INVOKE_HEADERS.logResult, o.logResult);
  if (o.initDurationMs !== undefined) reply.header(INVOKE_HEADERS.initDurationMs, String(o.initDurationMs));
  return reply.type('application/octet-stream').send(o.payload);
}
