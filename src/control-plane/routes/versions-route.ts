/** The versions sub-resource: PublishVersion (POST, 201) and ListVersionsByFunction (GET). */
import { z } from 'zod';
import type { FastifyInstance } from '../../api/index.ts';
import { renderFunctionConfiguration } from '../function-view.ts';
import { FUNCTIONS_PATH } from './functions-route.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';
import { parseBody, pathLabel, queryInteger, queryValue } from './wire.ts';

const PublishVersionBody = z.object({
  CodeSha256: z.string().optional(),
  Description: z.string().optional(),
  RevisionId: z.string().optional(),
});

export function registerVersionsRoute(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  const { account } = deps;
  const path = `${FUNCTIONS_PATH}/:FunctionName/versions`;

  app.post(path, async (req, reply) => {
    const b = parseBody(req, PublishVersionBody);
    const config = await deps.versions.publishVersion({
      functionName: pathLabel(req, 'FunctionName'),
      codeSha256: b.CodeSha256,
      description: b.Description,
      revisionId: b.RevisionId,
    });
    req.log.info({ functionName: config.functionName, version: config.version }, 'version published');
    return reply.code(201).send(renderFunctionConfiguration(config, { account }));
  });

  app.get(path, async (req) => {
    const page = await deps.versions.listVersions(pathLabel(req, 'FunctionName'), { marker: queryValue(req, 'Marker'), maxItems: queryInteger(req, 'MaxItems') });
    return {
      Versions: page.items.map((c) => renderFunctionConfiguration(c, { account, qualifiedArn: true, forList: true })),
      ...(page.nextMarker !== undefined ? { NextMarker: page.nextMarker } : {}),
    };
  });
}
