/** Whether a resolved version can run now. */
import { FunctionNotReady, type FunctionVersionConfig } from '../model/index.ts';

/**
 * A version that is still `Pending` (being created) cannot be invoked: throws
 * FunctionNotReady (Lambda answers 409 ResourceConflictException naming the
 * state). An update in progress does not block invokes: the previous
 * configuration keeps serving.
 */
export function checkInvocable(config: FunctionVersionConfig): void {
  if (config.state === 'Pending') throw new FunctionNotReady(config.functionName, config.state);
}
