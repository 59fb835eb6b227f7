/** Wire helpers of the async-invoke routes: typed JSON bodies (member types only), path and query members. */
import { queryInteger as queryIntegerMember, type FastifyRequest } from '../../api/index.ts';
import { errors } from '../../shared/index.ts';

export { parseBody, pathLabel, queryValue } from '../../api/index.ts';

/** An integer query member within [min, max], with Lambda's ValidationException text otherwise. */
export function queryInteger(req: FastifyRequest, name: string, member: string, min: number, max: number): number | undefined {
  const n = queryIntegerMember(req, name);
  if (n === undefined) return undefined;
  if (n < min) throw errors.validation(`1 validation error detected: Value '${n}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (n > max) throw errors.validation(`1 validation error detected: Value '${n}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return n;
}
