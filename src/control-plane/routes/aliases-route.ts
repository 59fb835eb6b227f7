/**
 * The aliases sub-resource: CreateAlias (POST, 201), ListAliases (GET on the
 * collection), GetAlias (GET), UpdateAlias (PUT) and DeleteAlias (DELETE, 204).
 */
import { z } from 'zod';
import type { FastifyInstance } from '../../api/index.ts';
import { renderAlias } from '../alias-view.ts';
import { FUNCTIONS_PATH } from './functions-route.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';
import { parseBody, pathLabel, queryInteger, queryValue } from './wire.ts';

const routingShape = z.object({ AdditionalVersionWeights: z.record(z.string(), z.number()).optional() }).optional();

const CreateAliasBody = z.object({
  Name: z.string().optional(),
  FunctionVersion: z.string().optional(),
  Description: z.string().optional(),
  RoutingConfig: routingShape,
});

const UpdateAliasBody = z.object({
  FunctionVersion: z.string().optional(),
  Description: z.string().optional(),
  RoutingConfig: routingShape,
  RevisionId: z.string().optional(),
});

export function registerAliasesRoute(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  const { account } = deps;
  const collection = `${FUNCTIONS_PATH}/:FunctionName/aliases`;
  const item = `${collection}/:Name`;

  app.post(collection, async (req, reply) => {
    const b = parseBody(req, CreateAliasBody);
    const alias = await deps.aliases.create({
      functionName: pathLabel(req, 'FunctionName'),
      name: b.Name,
      functionVersion: b.FunctionVersion,
      description: b.Description,
      weights: weightsOf(b.RoutingConfig),
    });
    req.log.info({ functionName: alias.functionName, alias: alias.name, version: alias.functionVersion }, 'alias created');
    return reply.code(201).send(renderAlias(alias, account));
  });

  app.get(collection, async (req) => {
    const page = await deps.aliases.list({
      functionName: pathLabel(req, 'FunctionName'),
      functionVersion: queryValue(req, 'FunctionVersion'),
      marker: queryValue(req, 'Marker'),
      maxItems: queryInteger(req, 'MaxItems'),
    });
    return { Aliases: page.items.map((a) => renderAlias(a, account)), ...(page.nextMarker !== undefined ? { NextMarker: page.nextMarker } : {}) };
  });

  app.get(item, async (req) => renderAlias(await deps.aliases.get(pathLabel(req, 'FunctionName'), pathLabel(req, 'Name')), account));

  app.put(item, async (req) => {
    const b = parseBody(req, UpdateAliasBody);
    const alias = await deps.aliases.update({
      functionName: pathLabel(req, 'FunctionName'),
      name: pathLabel(req, 'Name'),
      functionVersion: b.FunctionVersion,
      description: b.Description,
      weights: weightsOf(b.RoutingConfig),
      revisionId: b.RevisionId,
    });
    req.log.info({ functionName: alias.functionName, alias: alias.name, version: alias.functionVersion }, 'alias updated');
    return renderAlias(alias, account);
  });

  app.delete(item, async (req, reply) => {
    await deps.aliases.delete(pathLabel(req, 'FunctionName'), pathLabel(req, 'Name'));
    return reply.code(204).send();
  });
}

/** A RoutingConfig given without weights clears the routing, like `{}`. */
function weightsOf(routing: z.infer<typeof routingShape>): Record<string, number> | undefined {
  return routing === undefined ? undefined : (routing.AdditionalVersionWeights ?? {});
}
