/**
 * Provisioned concurrency configs on a version or alias:
 * PutProvisionedConcurrencyConfig (PUT, 202), GetProvisionedConcurrencyConfig
 * (GET ?Qualifier=), ListProvisionedConcurrencyConfigs (GET ?List=ALL) and
 * DeleteProvisionedConcurrencyConfig (DELETE, 204), all on one path.
 */
import { z } from 'zod';
import type { FastifyInstance } from '../../api/index.ts';
import { renderProvisionedConfig, renderProvisionedListItem } from '../provisioned-concurrency-view.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';
import { int, parseBody, pathLabel, queryInteger, queryValue } from './wire.ts';

const PutProvisionedConcurrencyBody = z.object({ ProvisionedConcurrentExecutions: int.optional() });

export function registerProvisionedConcurrencyRoute(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  const path = '/2019-09-30/functions/:FunctionName/provisioned-concurrency';
  const registry = deps.provisionedRegistry;

  app.put(path, async (req, reply) => {
    const b = parseBody(req, PutProvisionedConcurrencyBody);
    const config = await deps.provisionedConcurrency.put(pathLabel(req, 'FunctionName'), queryValue(req, 'Qualifier'), b.ProvisionedConcurrentExecutions);
    req.log.info({ functionName: config.functionName, qualifier: config.qualifier, requested: config.requested }, 'provisioned concurrency config put');
    return reply.code(202).send(renderProvisionedConfig(config, registry.state(config)));
  });

  app.get(path, async (req) => {
    const functionName = pathLabel(req, 'FunctionName');
    if (queryValue(req, 'List') === 'ALL') {
      const page = await deps.provisionedConcurrency.list(functionName, { marker: queryValue(req, 'Marker'), maxItems: queryInteger(req, 'MaxItems') });
      return {
        ProvisionedConcurrencyConfigs: page.items.map((c) => renderProvisionedListItem(c, registry.state(c), deps.account)),
        ...(page.nextMarker !== undefined ? { NextMarker: page.nextMarker } : {}),
      };
    }
    const config = await deps.provisionedConcurrency.get(functionName, queryValue(req, 'Qualifier'));
    return renderProvisionedConfig(config, registry.state(config));
  });

  app.delete(path, async (req, reply) => {
    await deps.provisionedConcurrency.delete(pathLabel(req, 'FunctionName'), queryValue(req, 'Qualifier'));
    return reply.code(204).send();
  });
}
