/**
 * InvokeAsync (deprecated), `POST /2014-11-13/functions/{FunctionName}/invoke-async/`:
 * a thin alias of Invoke with InvocationType Event (durable enqueue, then 202
 * `{"Status":202}`), with the 256 KB limit AWS keeps for this operation.
 */
import { rawBody, type FastifyInstance } from '../../api/index.ts';
import { errors } from '../../shared/index.ts';
import type { AsyncTarget, FunctionLookup } from '../ports.ts';

export const MAX_INVOKE_ASYNC_PAYLOAD_BYTES = 256 * 1024;

export interface InvokeAsyncRouteDeps {
  readonly functions: FunctionLookup;
  readonly enqueue: (target: AsyncTarget, request: { readonly requestId: string; readonly payload: Buffer }) => void;
}

export function registerInvokeAsyncRoute(app: FastifyInstance, deps: InvokeAsyncRouteDeps): void {
  app.post<{ Params: { name: string } }>('/2014-11-13/functions/:name/invoke-async', async (req, reply) => {
    const target = deps.functions.resolve(req.params.name, undefined);
    const body = rawBody(req);
    if (body.length > MAX_INVOKE_ASYNC_PAYLOAD_BYTES) {
      throw errors.tooLarge(`${body.length} byte payload is too large for the Event invocation type (limit ${MAX_INVOKE_ASYNC_PAYLOAD_BYTES} bytes)`);
    }
    deps.enqueue(target, { requestId: req.id, payload: jsonPayload(body) });
    return reply.code(202).type('application/json').send(JSON.stringify({ Status: 202 }));
  });
}

/** The event must be JSON; an empty body reaches the function as `{}` (as for Invoke). */
function jsonPayload(body: Buffer): Buffer {
  if (body.length === 0) return Buffer.from('{}');
  try {
    JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw errors.invalidContent(`Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`);
  }
  return body;
}
