/**
 * InvokeAsync (deprecated), `POST /2014-11-13/functions/{FunctionName}/invoke-async/`:
 * a thin alias of Invoke with InvocationType Event (durable enqueue, then 202
 * `{"Status":202}`), with the 256 KB limit AWS keeps for this operation (the
 * invoke path applies it for this entry point).
 */
import { rawBody, type FastifyInstance } from '../../api/index.ts';
import type { Invoker } from '../ports.ts';

export interface InvokeAsyncRouteDeps {
  readonly invoker: Invoker;
}

export function registerInvokeAsyncRoute(app: FastifyInstance, deps: InvokeAsyncRouteDeps): void {
  app.post<{ Params: { name: string } }>('/2014-11-13/functions/:name/invoke-async', async (req, reply) => {
    await deps.invoker.invoke({ entry: 'InvokeAsync', requestId: req.id, functionName: req.params.name, qualifier: undefined, invocationType: 'Event', payload: rawBody(req) });
    return reply.code(202).type('application/json').send(JSON.stringify({ Status: 202 }));
  });
}
