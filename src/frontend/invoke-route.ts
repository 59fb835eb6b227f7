import type { FastifyInstance, FastifyRequest } from '../api/index.ts';
import { rawBody } from '../api/index.ts';
import type { InvocationRequest } from '../model/index.ts';
import type { Logger } from '../shared/index.ts';
import { checkInvocable } from './check-invocable.ts';
import type { InvokeService } from './invoke-service.ts';
import { checkPayloadSize, decodeClientContext, MAX_SYNC_PAYLOAD_BYTES, normalisePayload, parseInvocationType } from './invoke-limits.ts';
import type { FunctionResolver, ResolvedTarget } from './ports.ts';

/** The internal queue of asynchronous invocations (async-invoke's face toward the front end). */
export interface EventQueuePort {
  /** Commits the invocation durably; returns only once it would survive a crash. */
  enqueue(target: ResolvedTarget, request: InvocationRequest): void;
}

export interface InvokeRouteDeps {
  readonly resolver: FunctionResolver;
  readonly invoker: InvokeService;
  readonly events: EventQueuePort;
  readonly logger: Logger;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `POST /2015-03-31/functions/{FunctionName}/invocations`: translates the wire to an invocation and back. */
export function registerInvokeRoute(app: FastifyInstance, deps: InvokeRouteDeps): void {
  app.post<{ Params: { name: string }; Querystring: { Qualifier?: string } }>(
    '/2015-03-31/functions/:name/invocations',
    { bodyLimit: MAX_SYNC_PAYLOAD_BYTES + 1024 * 1024 },
    async (req, reply) => {
      const type = parseInvocationType(header(req, 'x-amz-invocation-type'));
      const target = deps.resolver.resolve(req.params.name, req.query.Qualifier);
      checkInvocable(target.config);
      const body = rawBody(req);
      checkPayloadSize(type, body.length);
      if (type === 'DryRun') return reply.code(204).send();
      const payload = normalisePayload(body);
      const request = {
        requestId: req.id,
        payload,
        invokedFunctionArn: target.invokedFunctionArn,
        clientContext: type === 'RequestResponse' ? decodeClientContext(header(req, 'x-amz-client-context')) : undefined,
        tailLog: type === 'RequestResponse' && header(req, 'x-amz-log-type') === 'Tail',
      };
      if (type === 'Event') {
        // Durable before the 202: the pollers deliver it through the same invoke path.
        deps.events.enqueue(target, request);
        return reply.code(202).send();
      }
      const outcome = await deps.invoker.invoke(target, request);
      void reply.code(200).header('X-Amz-Executed-Version', target.config.version).type('application/json');
      if (outcome.functionError) void reply.header('X-Amz-Function-Error', outcome.functionError);
      if (outcome.logResult !== undefined) void reply.header('X-Amz-Log-Result', outcome.logResult);
      return reply.send(outcome.payload);
    },
  );
}
