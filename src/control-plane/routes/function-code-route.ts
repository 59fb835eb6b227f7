/** The code sub-resource: UpdateFunctionCode (PUT). */
import type { FastifyInstance } from '../../api/index.ts';
import { renderFunctionConfiguration } from '../function-view.ts';
import { FUNCTIONS_PATH } from './functions-route.ts';
import { UpdateFunctionCodeBody, codeFromBody } from './function-wire.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';
import { checkUploadRequestSize, parseBody, pathLabel } from './wire.ts';

export function registerFunctionCodeRoute(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  app.put(`${FUNCTIONS_PATH}/:FunctionName/code`, async (req) => {
    checkUploadRequestSize(req, 'UpdateFunctionCode');
    const b = parseBody(req, UpdateFunctionCodeBody);
    const dryRun = b.DryRun ?? false;
    const config = await deps.functions.updateFunctionCode({
      functionName: pathLabel(req, 'FunctionName'),
      code: codeFromBody(b, 'UpdateFunctionCode'),
      architectures: b.Architectures,
      publish: b.Publish ?? false,
      dryRun,
      revisionId: b.RevisionId,
    });
    req.log.info({ functionName: config.functionName, codeSha256Hex: config.codeSha256Hex, dryRun }, dryRun ? 'function code checked (dry run)' : 'function code updated');
    return renderFunctionConfiguration(config, { account: deps.account });
  });
}
