/** The configuration sub-resource: GetFunctionConfiguration (GET) and UpdateFunctionConfiguration (PUT). */
import type { FastifyInstance } from '../../api/index.ts';
import { renderFunctionConfiguration } from '../function-view.ts';
import { FUNCTIONS_PATH } from './functions-route.ts';
import { UpdateFunctionConfigurationBody, settingsFromBody } from './function-wire.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';
import { parseBody, pathLabel, queryValue } from './wire.ts';

export function registerFunctionConfigurationRoute(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  const path = `${FUNCTIONS_PATH}/:FunctionName/configuration`;

  app.get(path, async (req) => {
    const view = await deps.functions.getFunction(pathLabel(req, 'FunctionName'), queryValue(req, 'Qualifier'));
    return renderFunctionConfiguration(view.config, { account: deps.account, qualifiedArn: view.qualified, aliasName: view.alias?.name });
  });

  app.put(path, async (req) => {
    const b = parseBody(req, UpdateFunctionConfigurationBody);
    const config = await deps.functions.updateFunctionConfiguration({
      ...settingsFromBody(b),
      functionName: pathLabel(req, 'FunctionName'),
      revisionId: b.RevisionId,
    });
    req.log.info({ functionName: config.functionName, revisionId: config.revisionId }, 'function configuration updated');
    return renderFunctionConfiguration(config, { account: deps.account });
  });
}
