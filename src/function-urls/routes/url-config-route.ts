/**
 * FunctionUrlConfig on `/2021-10-31/functions/{FunctionName}/url`: POST Create (201), GET Get,
 * PUT Update, DELETE Delete (204); and GET `.../urls` (ListFunctionUrlConfigs).
 */
import { z } from 'zod';
import { parseBody, pathLabel, queryInteger, queryValue, type FastifyInstance, type FastifyRequest } from '../../api/index.ts';
import type { FunctionUrlConfigRecord } from '../../model/index.ts';
import { errors } from '../../shared/index.ts';
import type { FunctionUrlConfigService } from '../url-config-service.ts';
import type { FunctionUrlConfigInput } from '../url-config-validation.ts';

const Cors = z.object({
  AllowCredentials: z.boolean().optional(),
  AllowHeaders: z.array(z.string()).optional(),
  AllowMethods: z.array(z.string()).optional(),
  AllowOrigins: z.array(z.string()).optional(),
  ExposeHeaders: z.array(z.string()).optional(),
  MaxAge: z.number().int().optional(),
});
const ConfigBody = z.object({ AuthType: z.string().optional(), InvokeMode: z.string().optional(), Cors: Cors.optional() });

/** Lambda's timestamps of URL configs: ISO-8601 in UTC with microseconds (`2024-01-01T00:00:00.123000Z`). */
export function urlTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function renderUrlConfig(config: FunctionUrlConfigRecord, service: FunctionUrlConfigService, withLastModified: boolean): Record<string, unknown> {
  return {
    FunctionUrl: service.urlOf(config),
    FunctionArn: service.arnOf(config),
    AuthType: config.authType,
    ...(config.cors === undefined ? {} : { Cors: config.cors }),
    CreationTime: urlTimestamp(config.creationMs),
    ...(withLastModified ? { LastModifiedTime: urlTimestamp(config.lastModifiedMs) } : {}),
    InvokeMode: config.invokeMode,
  };
}

export function registerUrlConfigRoute(app: FastifyInstance, service: FunctionUrlConfigService): void {
  const path = '/2021-10-31/functions/:name/url';
  const target = (req: FastifyRequest) => [pathLabel(req, 'name'), queryValue(req, 'Qualifier')] as const;
  const body = (req: FastifyRequest): FunctionUrlConfigInput => parseBody(req, ConfigBody);

  app.post(path, async (req, reply) => {
    const config = await service.create(...target(req), body(req));
    return reply.code(201).send(renderUrlConfig(config, service, false));
  });
  app.get(path, async (req) => renderUrlConfig(await service.get(...target(req)), service, true));
  app.put(path, async (req) => renderUrlConfig(await service.update(...target(req), body(req)), service, true));
  app.delete(path, async (req, reply) => {
    await service.delete(...target(req));
    return reply.code(204).send();
  });
  app.get('/2021-10-31/functions/:name/urls', async (req) => {
    const maxItems = queryInteger(req, 'MaxItems');
    if (maxItems !== undefined && (maxItems < 1 || maxItems > 50)) {
      const bound = maxItems < 1 ? 'greater than or equal to 1' : 'less than or equal to 50';
      throw errors.validation(`1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`);
    }
    const page = await service.list(pathLabel(req, 'name'), queryValue(req, 'Marker'), maxItems);
    return {
      FunctionUrlConfigs: page.configs.map((c) => renderUrlConfig(c, service, true)),
      ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
    };
  });
}
