/** Wire helpers of the async-invoke routes: typed JSON bodies (member types only), path and query members. */
import type { z } from 'zod';
import { jsonBody, type FastifyRequest } from '../../api/index.ts';
import { errors } from '../../shared/index.ts';

/** Parses the JSON body against a schema of member types; nulls count as absent, unknown members are dropped. */
export function parseBody<T extends z.ZodType>(req: FastifyRequest, schema: T): z.infer<T> {
  const parsed = schema.safeParse(withoutNulls(jsonBody(req)));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw errors.invalidContent(`Could not parse request body into json: member '${where}': ${issue.message}`);
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** A percent-decoded path label. */
export function pathLabel(req: FastifyRequest, name: string): string {
  return (req.params as Record<string, string>)[name] ?? '';
}

/** A single-valued query member; the last one wins when repeated. */
export function queryValue(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.at(-1) : v;
}

/** An integer query member within [min, max], with Lambda's ValidationException text otherwise. */
export function queryInteger(req: FastifyRequest, name: string, member: string, min: number, max: number): number | undefined {
  const v = queryValue(req, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw errors.invalidContent(`Could not parse request: query member '${name}' must be an integer`);
  const n = Number(v);
  if (n < min) throw errors.validation(`1 validation error detected: Value '${n}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (n > max) throw errors.validation(`1 validation error detected: Value '${n}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return n;
}
