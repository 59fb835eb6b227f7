/**
 * `GET /2018-06-01/flint/specialize[?format=env0]`: Flint's private step, not part of AWS's API.
 * A pre-started, function-agnostic runtime long-polls here once; the answer (when the worker host
 * calls `session.specialize`) carries the function's environment and handler. Only the sandbox's
 * own session answers it, like every other route.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeSession } from './runtime-session.ts';
import { renderRefusal } from './rendering.ts';

export const SPECIALIZE_PATH = '/2018-06-01/flint/specialize';

export function flintSpecialize(req: IncomingMessage, res: ServerResponse, session: RuntimeSession): void {
  const format = req.url!.endsWith('format=env0') ? 'env0' : 'json';
  const refusal = session.onSpecializeRequest(res, format);
  if (refusal) renderRefusal(res, refusal);
}
