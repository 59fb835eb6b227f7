/** `GET /2018-06-01/runtime/invocation/next`: the runtime's long poll for its next invocation. */
import type { ServerResponse } from 'node:http';
import type { RuntimeSession } from './runtime-session.ts';
import { renderRefusal } from './rendering.ts';

export function invocationNext(res: ServerResponse, session: RuntimeSession): void {
  // No timeout: the runtime waits as long as the sandbox stays idle ("do not set a timeout on the GET").
  const refusal = session.onNext(res);
  if (refusal) renderRefusal(res, refusal);
}
