/**
 * The function resource: CreateFunction (POST), ListFunctions (GET on the
 * collection), GetFunction (GET) and DeleteFunction (DELETE).
 */
import type { FastifyInstance } from '../../api/index.ts';
import { LATEST } from '../../model/index.ts';
import { renderFunctionConfiguration, renderGetFunction } from '../function-view.ts';
import { CreateFunctionBody, codeFromBody, settingsFromBody } from './function-wire.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';
import { checkUploadRequestSize, parseBody, pathLabel, queryInteger, queryValue } from './wire.ts';

export const FUNCTIONS_PATH = '/2015-03-31/functions';

export function registerFunctionsRoute(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  const { account } = deps;

  app.post(FUNCTIONS_PATH, async (req, reply) => {
    checkUploadRequestSize(req, 'CreateFunction');
    const b = parseBody(req, CreateFunctionBody);
    const config = await deps.functions.createFunction({
      ...settingsFromBody(b),
      functionName: b.FunctionName,
      code: b.Code && codeFromBody(b.Code, 'CreateFunction'),
      packageType: b.PackageType,
      architectures: b.Architectures,
      tags: b.Tags,
      publish: b.Publish ?? false,
    });
    req.log.info({ functionName: config.functionName, codeSha256Hex: config.codeSha256Hex, codeSize: config.codeSize }, 'function created');
    // With Publish, Lambda answers version 1 under the unqualified ARN.
    return reply.code(201).send(renderFunctionConfiguration(config, { account, unqualifiedArn: config.version !== LATEST }));
  });

  app.get(FUNCTIONS_PATH, async (req) => {
    const page = await deps.listFunctions({
      masterRegion: queryValue(req, 'MasterRegion'),
      functionVersion: queryValue(req, 'FunctionVersion'),
      marker: queryValue(req, 'Marker'),
      maxItems: queryInteger(req, 'MaxItems'),
    });
    return {
      // Listing every version, Lambda qualifies `$LATEST`'s ARN too.
      Functions: page.configs.map((c) => renderFunctionConfiguration(c, { account, forList: true, qualifiedArn: page.allVersions })),
      ...(page.nextMarker !== undefined ? { NextMarker: page.nextMarker } : {}),
    };
  });

  app.get(`${FUNCTIONS_PATH}/:FunctionName`, async (req) => {
    const view = await deps.functions.getFunction(pathLabel(req, 'FunctionName'), queryValue(req, 'Qualifier'));
    const codeLocation = deps.signer.url(`${req.protocol}://${req.host}`, view.config.codeSha256Hex);
    return renderGetFunction({ fn: view.fn, config: view.config, codeLocation, qualifiedArn: view.qualified, aliasName: view.alias?.name }, account);
  });

  app.delete(`${FUNCTIONS_PATH}/:FunctionName`, async (req, reply) => {
    const functionName = pathLabel(req, 'FunctionName');
    const qualifier = queryValue(req, 'Qualifier');
    await deps.functions.deleteFunction(functionName, qualifier);
    req.log.info({ functionName, qualifier }, qualifier === undefined ? 'function deleted' : 'function version deleted');
    return reply.code(204).send();
  });
}
