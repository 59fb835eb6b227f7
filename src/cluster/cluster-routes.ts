import type { FastifyInstance, FastifyReply, FastifyRequest } from '../api/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import type { HostRecord, HostStore, JoinTokenStore } from '../storage/index.ts';
import { HEARTBEAT_INTERVAL_MS } from './host-health.ts';
import { bearer, newHostKey, sameSecret, tokenDigest } from './join-token.ts';
import { CLUSTER_PATHS, HOST_ID_HEADER, type HeartbeatRequest, type HeartbeatResponse, type LogShipment, type RegisterRequest, type RegisterResponse } from './wire.ts';

export interface ClusterRouteDeps {
  readonly hosts: HostStore;
  readonly joinTokens: JoinTokenStore;
  /** Packages by SHA-256 (the code store); rejects when there is none. */
  readonly packages: { get(sha256Hex: string): Promise<Buffer> };
  /** The cluster's log store: where the log lines hosts ship are stored. */
  readonly logs: { append(group: string, stream: string, events: ReadonlyArray<{ readonly timestampMs: number; readonly message: string }>): Promise<void> };
  /** The directory's last reading of a host, if any (saves a store read per heartbeat). */
  readonly known: (id: string) => HostRecord | undefined;
  readonly hostLeaseMs: number;
  /**
   * Base URLs of the live front ends, told to hosts with each heartbeat (they move to another when
   * theirs dies). Default: this front end alone, as the host reached it.
   */
  readonly frontEnds?: () => readonly string[];
  readonly clock: Clock;
  readonly logger: Logger;
}

const HOST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The front end's side of the cluster protocol (docs/cluster.md): worker hosts register with a
 * join token (only its digest is stored), then heartbeat, drain, leave and fetch code with the
 * per-registration key the front end issued. Anything unauthenticated gets 403. The host row is in
 * the shared store, so every front end serves every host, whichever one registered it.
 */
export function registerClusterRoutes(app: FastifyInstance, deps: ClusterRouteDeps): void {
  const stored = async (id: string): Promise<HostRecord | undefined> => (await deps.hosts.list()).find((h) => h.id === id);
  /** The host calling, when its key is right; else answers (403 or 404) and returns undefined. */
  const authenticate = async (req: FastifyRequest, reply: FastifyReply, id: string): Promise<HostRecord | undefined> => {
    const given = bearer(req.headers.authorization);
    let host = deps.known(id);
    // the directory's reading may predate a new registration (another key): the store has the last word
    if (host === undefined || !sameSecret(given, host.apiKey)) host = await stored(id);
    if (host === undefined) {
      // an unknown host is told so (it registers again with its join token); it learns nothing else
      await reply.code(404).send({ unknownHost: true, message: `no worker host ${id} is registered` });
      return undefined;
    }
    if (!sameSecret(given, host.apiKey)) {
      await forbidden(reply, 'the host key is not valid');
      return undefined;
    }
    return host;
  };

  app.post(CLUSTER_PATHS.hosts, async (req, reply) => {
    const token = bearer(req.headers.authorization);
    if (token === undefined || !(await deps.joinTokens.has(tokenDigest(token)))) return forbidden(reply, 'the join token is not valid for this cluster (create one with `flint token create`)');
    const body = parseJson<RegisterRequest>(req.body);
    if (body === undefined || !HOST_ID.test(String(body.hostId)) || !validEndpoint(body.endpoint) || !(body.memoryMb > 0) || !(body.cpus > 0) || !Array.isArray(body.runtimes)) {
      return reply.code(400).send({ message: 'malformed registration' });
    }
    const now = deps.clock.now();
    const apiKey = newHostKey();
    const record: HostRecord = {
      id: body.hostId,
      endpoint: body.endpoint,
      apiKey,
      memoryMb: Math.floor(body.memoryMb),
      cpus: Math.floor(body.cpus),
      runtimes: body.runtimes.map(String),
      registeredMs: now,
      heartbeatMs: now,
      leaseExpiresMs: now + deps.hostLeaseMs,
      draining: false,
      memoryInUseMb: 0,
      sandboxes: 0,
    };
    await deps.hosts.register(record);
    deps.logger.info({ host: record.id, endpoint: record.endpoint, memoryMb: record.memoryMb, cpus: record.cpus }, 'worker host registered');
    const answer: RegisterResponse = { apiKey, leaseExpiresMs: record.leaseExpiresMs, heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS };
    return reply.code(201).send(answer);
  });

  app.post<{ Params: { id: string } }>(`${CLUSTER_PATHS.hosts}/:id/heartbeat`, async (req, reply) => {
    const host = await authenticate(req, reply, req.params.id);
    if (host === undefined) return reply;
    const body = parseJson<HeartbeatRequest>(req.body);
    if (body === undefined) return reply.code(400).send({ message: 'malformed heartbeat' });
    const now = deps.clock.now();
    const known = await deps.hosts.heartbeat(host.id, { memoryInUseMb: Number(body.memoryInUseMb) || 0, sandboxes: Number(body.sandboxes) || 0 }, now);
    if (!known) return reply.code(404).send({ unknownHost: true, message: `no worker host ${host.id} is registered` });
    const answer: HeartbeatResponse = { drain: host.draining || now >= host.leaseExpiresMs, frontEnds: deps.frontEnds?.() ?? [`${req.protocol}://${req.host}`] };
    return reply.send(answer);
  });

  app.post<{ Params: { id: string } }>(`${CLUSTER_PATHS.hosts}/:id/drain`, async (req, reply) => {
    const host = await authenticate(req, reply, req.params.id);
    if (host === undefined) return reply;
    await deps.hosts.setDraining(host.id);
    deps.logger.info({ host: host.id }, 'worker host draining');
    return reply.code(204).send();
  });

  app.delete<{ Params: { id: string } }>(`${CLUSTER_PATHS.hosts}/:id`, async (req, reply) => {
    const host = await authenticate(req, reply, req.params.id);
    if (host === undefined) return reply;
    await deps.hosts.remove(host.id);
    deps.logger.info({ host: host.id }, 'worker host left');
    return reply.code(204).send();
  });

  /** The host a host-id header names, when its key is right; else answers and returns undefined. */
  const calling = async (req: FastifyRequest, reply: FastifyReply): Promise<HostRecord | undefined> => {
    const id = req.headers[HOST_ID_HEADER];
    if (typeof id !== 'string') {
      await forbidden(reply, 'no host id');
      return undefined;
    }
    return authenticate(req, reply, id);
  };

  // The log lines of a host's sandboxes: answered once stored, so that the host may then answer the invoke.
  app.post(CLUSTER_PATHS.logs, async (req, reply) => {
    const host = await calling(req, reply);
    if (host === undefined) return reply;
    const body = parseJson<LogShipment>(req.body);
    if (body === undefined || !validShipment(body)) return reply.code(400).send({ message: 'malformed log shipment' });
    for (const s of body.streams) {
      await deps.logs.append(s.group, s.stream, s.events.map(([timestampMs, message]) => ({ timestampMs, message })));
    }
    return reply.code(204).send();
  });

  app.get<{ Params: { sha256: string } }>('/flint/cluster/code/:sha256', async (req, reply) => {
    const host = await calling(req, reply);
    if (host === undefined) return reply;
    if (!/^[0-9a-f]{64}$/.test(req.params.sha256)) return reply.code(400).send({ message: 'not a SHA-256 digest' });
    let zip: Buffer;
    try {
      zip = await deps.packages.get(req.params.sha256);
    } catch (err) {
      deps.logger.warn({ err, host: host.id, sha256: req.params.sha256 }, 'a worker host asked for a package that could not be read');
      return reply.code(404).send({ message: 'no such package' });
    }
    return reply.type('application/zip').send(zip);
  });
}

function forbidden(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(403).send({ message });
}

function parseJson<T>(body: unknown): T | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : String(body));
    return typeof value === 'object' && value !== null ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

const LOG_NAME = /^[^\u0000-\u001f]{1,512}$/;

function validShipment(body: LogShipment): boolean {
  return (
    Array.isArray(body.streams) &&
    body.streams.every(
      (s) =>
        typeof s === 'object' && s !== null && typeof s.group === 'string' && LOG_NAME.test(s.group) && typeof s.stream === 'string' && LOG_NAME.test(s.stream) &&
        Array.isArray(s.events) && s.events.every((e: unknown) => Array.isArray(e) && e.length === 2 && Number.isFinite(e[0]) && typeof e[1] === 'string'),
    )
  );
}

function validEndpoint(url: unknown): url is string {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.pathname === '/' && u.search === '' && url === u.origin;
  } catch {
    return false;
  }
}
