/**
 * Typed access to the parts of a restJson1 request, shared by every route: the JSON
 * body checked against a schema of member types (value rules live in the services),
 * percent-decoded path labels, and query members.
 */
import type { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { errors } from '../shared/index.ts';
import { jsonBody } from './request-body.ts';

/** Parses the JSON body against a schema of member types. Unknown members are dropped; nulls count as absent. */
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

/** A percent-decoded path label (Fastify decodes labels; `%3A`, `%24` arrive as `:` and `$`). */
export function pathLabel(req: FastifyRequest, name: string): string {
  return (req.params as Record<string, string>)[name] ?? '';
}

/** A single-valued query member; the last one wins when repeated. */
export function queryValue(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.at(-1) : v;
}

/** A list-valued query member (`?tagKeys=a&tagKeys=b`). */
export function queryList(req: FastifyRequest, name: string): string[] {
  const v = (req.query as Record<string, string | string[] | undefined>)[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** An integer query member; anything else is a parse error, as Lambda answers. */
export function queryInteger(req: FastifyRequest, name: string): number | undefined {
  const v = queryValue(req, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw errors.invalidContent(`Could not parse request: query member '${name}' must be an integer`);
  return Number(v);
}
