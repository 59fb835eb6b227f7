/**
 * Reserved concurrency of a function: PutFunctionConcurrency (PUT 2017-10-31),
 * GetFunctionConcurrency (GET 2019-09-30, `{}` without a reservation) and
 * DeleteFunctionConcurrency (DELETE 2017-10-31, 204).
 */
import { z } from 'zod';
import type { FastifyInstance } from '../../api/index.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';
import { int, parseBody, pathLabel } from './wire.ts';

const PutFunctionConcurrencyBody = z.object({ ReservedConcurrentExecutions: int.optional() });

export function registerConcurrencyRoute(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  app.put('/2017-10-31/functions/:FunctionName/concurrency', async (req) => {
    const b = parseBody(req, PutFunctionConcurrencyBody);
    const functionName = pathLabel(req, 'FunctionName');
    const reserved = await deps.reservedConcurrency.put(functionName, b.ReservedConcurrentExecutions);
    req.log.info({ functionName, reserved }, 'reserved concurrency set');
    return { ReservedConcurrentExecutions: reserved };
  });

  app.get('/2019-09-30/functions/:FunctionName/concurrency', async (req) => {
    const reserved = await deps.reservedConcurrency.get(pathLabel(req, 'FunctionName'));
    return reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved };
  });

  app.delete('/2017-10-31/functions/:FunctionName/concurrency', async (req, reply) => {
    const functionName = pathLabel(req, 'FunctionName');
    await deps.reservedConcurrency.delete(functionName);
    req.log.info({ functionName }, 'reserved concurrency removed');
    return reply.code(204).send();
  });
}
