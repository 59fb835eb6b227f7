import type { FastifyInstance } from '../api/index.ts';
import type { InvokeService } from './invoke-service.ts';
import { MAX_SYNC_PAYLOAD_BYTES, parseInvocationType } from './invoke-limits.ts';
import { header, invokeRequestParts } from './invoke-request-wire.ts';

export interface InvokeRouteDeps {
  readonly invoker: InvokeService;
}

/** `POST /2015-03-31/functions/{FunctionName}/invocations`: translates the wire to an invoke request and the result back. */
export function registerInvokeRoute(app: FastifyInstance, deps: InvokeRouteDeps): void {
  app.post<{ Params: { name: string }; Querystring: { Qualifier?: string } }>(
    '/2015-03-31/functions/:name/invocations',
    { bodyLimit: MAX_SYNC_PAYLOAD_BYTES + 1024 * 1024 },
    async (req, reply) => {
      const invocationType = parseInvocationType(header(req, 'x-amz-invocation-type'));
      const result = await deps.invoker.invoke({ entry: 'Invoke', invocationType, ...invokeRequestParts(req) });
      if (result.kind === 'dry-run') return reply.code(204).send();
      if (result.kind === 'queued') return reply.code(202).send();
      const { outcome } = result;
      void reply.code(200).header('X-Amz-Executed-Version', result.target.config.version).type('application/json');
      if (outcome.functionError) void reply.header('X-Amz-Function-Error', outcome.functionError);
      if (outcome.logResult !== undefined) void reply.header('X-Amz-Log-Result', outcome.logResult);
      return reply.send(outcome.payload);
    },
  );
}
