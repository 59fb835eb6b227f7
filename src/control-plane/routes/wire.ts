/**
 * Wire helpers shared by the control-plane routes: typed body parsing (member
 * types only; value rules live in the service), path and query labels, and the
 * upload size limits with Lambda's 413 texts.
 */
import { z } from 'zod';
import { jsonBody, type FastifyRequest } from '../../api/index.ts';
import { errors } from '../../shared/index.ts';
import { MAX_ZIP_BYTES } from '../request-checks.ts';

/** Lambda's limit on a request carrying an inline package: the base64 of 50 MB. */
export const MAX_UPLOAD_REQUEST_BYTES = 69_905_067;

/** Parses the JSON body against a schema of member types. Unknown members are dropped; nulls count as absent. */
export function parseBody<T extends z.ZodType>(req: FastifyRequest, schema: T): z.infer<T> {
  const body = withoutNulls(jsonBody(req));
  const parsed = schema.safeParse(body);
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

function tooLarge(operation: string) {
  return errors.tooLarge(`Request must be smaller than ${MAX_UPLOAD_REQUEST_BYTES} bytes for the ${operation} operation`);
}

/** Refuses a request body over Lambda's inline-upload limit before it is parsed. */
export function checkUploadRequestSize(req: FastifyRequest, operation: string): void {
  const size = Buffer.isBuffer(req.body) ? req.body.length : 0;
  if (size > MAX_UPLOAD_REQUEST_BYTES) throw tooLarge(operation);
}

/** Decodes a base64 `ZipFile`; a package over 50 MB decoded is the same 413. */
export function decodeZipFile(base64: string | undefined, operation: string): Buffer | undefined {
  if (base64 === undefined) return undefined;
  const zip = Buffer.from(base64, 'base64');
  if (zip.length > MAX_ZIP_BYTES) throw tooLarge(operation);
  return zip;
}

export const stringMap = z.record(z.string(), z.string());
export const int = z.number().int();
