/**
 * FunctionEventInvokeConfig on `/2019-09-25/functions/{FunctionName}/event-invoke-config`:
 * PUT Put, POST Update, GET Get, DELETE Delete (204), and GET `.../list`.
 */
import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from '../../api/index.ts';
import type { EventInvokeConfigService } from '../event-invoke-config-service.ts';
import type { StoredEventInvokeConfig } from '../../model/index.ts';
import type { EventInvokeConfigInput } from '../event-invoke-config-validation.ts';
import { parseBody, pathLabel, queryInteger, queryValue } from './wire.ts';

const Destination = z.object({ Destination: z.string().optional() });
const EventInvokeConfigBody = z.object({
  MaximumRetryAttempts: z.number().int().optional(),
  MaximumEventAgeInSeconds: z.number().int().optional(),
  DestinationConfig: z.object({ OnSuccess: Destination.optional(), OnFailure: Destination.optional() }).optional(),
});

/** FunctionEventInvokeConfig as Lambda renders it: LastModified in epoch seconds, a qualified FunctionArn. */
export function renderEventInvokeConfig(config: StoredEventInvokeConfig, functionArn: string): Record<string, unknown> {
  const s = config.settings;
  return {
    LastModified: config.lastModifiedMs / 1000,
    FunctionArn: functionArn,
    ...(s.maximumRetryAttempts === undefined ? {} : { MaximumRetryAttempts: s.maximumRetryAttempts }),
    ...(s.maximumEventAgeInSeconds === undefined ? {} : { MaximumEventAgeInSeconds: s.maximumEventAgeInSeconds }),
    DestinationConfig: {
      OnSuccess: s.onSuccess === undefined ? {} : { Destination: s.onSuccess },
      OnFailure: s.onFailure === undefined ? {} : { Destination: s.onFailure },
    },
  };
}

export function registerEventInvokeConfigRoute(app: FastifyInstance, service: EventInvokeConfigService): void {
  const path = '/2019-09-25/functions/:name/event-invoke-config';
  const render = (c: StoredEventInvokeConfig) => renderEventInvokeConfig(c, service.arnOf(c));
  const target = (req: FastifyRequest) => [pathLabel(req, 'name'), queryValue(req, 'Qualifier')] as const;
  const body = (req: FastifyRequest): EventInvokeConfigInput => parseBody(req, EventInvokeConfigBody);

  app.put(path, async (req) => render(await service.put(...target(req), body(req))));
  app.post(path, async (req) => render(await service.update(...target(req), body(req))));
  app.get(path, async (req) => render(await service.get(...target(req))));
  app.delete(path, async (req, reply) => {
    await service.delete(...target(req));
    return reply.code(204).send();
  });
  app.get(`${path}/list`, async (req) => {
    const maxItems = queryInteger(req, 'MaxItems', 'maxItems', 1, 50);
    const page = await service.list(pathLabel(req, 'name'), queryValue(req, 'Marker'), maxItems);
    return { FunctionEventInvokeConfigs: page.configs.map(render), ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }) };
  });
}
