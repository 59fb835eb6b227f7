/**
 * Downloads behind GetFunction's `Code.Location`: the original zip, only for a
 * valid, unexpired signature. The code store authenticates every read; a blob
 * that fails (tampered with, truncated) is a platform error: logged with its
 * cause, answered 500 ServiceException, and its bytes never leave.
 */
import type { FastifyInstance } from '../../api/index.ts';
import { CodeIntegrityError, CodeNotFoundError } from '../../code-store/index.ts';
import { errors, internalError } from '../../shared/index.ts';
import { CODE_LOCATION_PATH } from '../code-location.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';
import { pathLabel, queryValue } from './wire.ts';

export function registerCodeDownloadRoute(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  app.get(`${CODE_LOCATION_PATH}/:sha256`, async (req, reply) => {
    const sha256Hex = pathLabel(req, 'sha256');
    const gone = () => errors.notFound('The code location is invalid or has expired. Call GetFunction for a new Code.Location.');
    if (!deps.signer.verify(sha256Hex, queryValue(req, 'expires'), queryValue(req, 'signature'))) throw gone();
    let zip: Buffer;
    try {
      zip = await deps.codeStore.get(sha256Hex);
    } catch (err) {
      if (err instanceof CodeNotFoundError) throw gone();
      if (err instanceof CodeIntegrityError) req.log.error({ err, sha256Hex, failure: err.failure }, 'stored package failed its integrity check');
      else req.log.error({ err, sha256Hex }, 'could not read stored package');
      throw internalError();
    }
    return reply.type('application/zip').header('content-length', zip.length).send(zip);
  });
}
