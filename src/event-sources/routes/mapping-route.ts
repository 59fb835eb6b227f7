/**
 * The event source mapping operations on `/2015-03-31/event-source-mappings/` (both spellings of
 * the trailing slash: the router ignores it): POST Create (202), GET List, and on `/{UUID}`
 * GET Get, PUT Update (202), DELETE Delete (202, the mapping in state Deleting).
 */
import { z } from 'zod';
import { parseBody, pathLabel, queryInteger, queryValue, type FastifyInstance, type FastifyRequest } from '../../api/index.ts';
import { errors, type Account } from '../../shared/index.ts';
import type { EventSourceMappingService } from '../mapping-service.ts';
import type { MappingInput } from '../mapping-validation.ts';
import { renderMapping } from '../mapping-view.ts';

const MappingBody = z.object({
  EventSourceArn: z.string().optional(),
  FunctionName: z.string().optional(),
  Enabled: z.boolean().optional(),
  BatchSize: z.number().int().optional(),
  MaximumBatchingWindowInSeconds: z.number().int().optional(),
  FilterCriteria: z.object({ Filters: z.array(z.object({ Pattern: z.string().optional() })).optional() }).optional(),
  FunctionResponseTypes: z.array(z.string()).optional(),
  ScalingConfig: z.object({ MaximumConcurrency: z.number().int().optional() }).optional(),
  StartingPosition: z.string().optional(),
  StartingPositionTimestamp: z.number().optional(),
  ParallelizationFactor: z.number().int().optional(),
  DestinationConfig: z.unknown().optional(),
  MaximumRecordAgeInSeconds: z.number().int().optional(),
  BisectBatchOnFunctionError: z.boolean().optional(),
  MaximumRetryAttempts: z.number().int().optional(),
  TumblingWindowInSeconds: z.number().int().optional(),
  Topics: z.unknown().optional(),
  Queues: z.unknown().optional(),
  SelfManagedEventSource: z.unknown().optional(),
});

const PATH = '/2015-03-31/event-source-mappings';

export function registerMappingRoute(app: FastifyInstance, service: EventSourceMappingService, account: Account): void {
  const body = (req: FastifyRequest): MappingInput => parseBody(req, MappingBody);
  const render = (m: Parameters<typeof renderMapping>[0]) => renderMapping(m, account);

  app.post(PATH, async (req, reply) => reply.code(202).send(render(await service.create(body(req)))));
  app.get(PATH, async (req) => {
    const maxItems = queryInteger(req, 'MaxItems');
    if (maxItems !== undefined && (maxItems < 1 || maxItems > 10_000)) {
      const bound = maxItems < 1 ? 'greater than or equal to 1' : 'less than or equal to 10000';
      throw errors.validation(`1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`);
    }
    const page = await service.list({ eventSourceArn: queryValue(req, 'EventSourceArn'), functionName: queryValue(req, 'FunctionName'), marker: queryValue(req, 'Marker'), maxItems });
    return { EventSourceMappings: page.mappings.map(render), ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }) };
  });
  app.get(`${PATH}/:uuid`, async (req) => render(await service.get(pathLabel(req, 'uuid'))));
  app.put(`${PATH}/:uuid`, async (req, reply) => reply.code(202).send(render(await service.update(pathLabel(req, 'uuid'), body(req)))));
  app.delete(`${PATH}/:uuid`, async (req, reply) => reply.code(202).send(render(await service.delete(pathLabel(req, 'uuid')))));
}
