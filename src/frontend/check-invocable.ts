/** Whether a resolved version can run now, with Lambda's answer when it cannot. */
import type { FunctionVersionConfig } from '../model/index.ts';
import { ApiError } from '../shared/index.ts';

/**
 * A version that is still `Pending` (being created) cannot be invoked: Lambda
 * answers 409 ResourceConflictException naming the state. (An update in progress
 * does not block invokes: the previous configuration keeps serving.)
 */
export function checkInvocable(config: FunctionVersionConfig): void {
  if (config.state === 'Pending') {
    throw new ApiError('ResourceConflictException', `The operation cannot be performed at this time. The function is currently in the following state: ${config.state}`);
  }
}
