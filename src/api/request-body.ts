import type { FastifyRequest } from 'fastify';
import { ApiError } from '../shared/index.ts';

/**
 * The JSON object body of a restJson1 request. An empty body is `{}`; anything
 * that is not a JSON object is InvalidRequestContentException, as Lambda answers.
 * Unknown members are kept (callers pick what they know, so newer SDK members pass).
 */
export function jsonBody(req: FastifyRequest): Record<string, unknown> {
  const raw = req.body;
  if (raw === undefined || raw === null) return {};
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ApiError('InvalidRequestContentException', `Could not parse request body into json: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError('InvalidRequestContentException', 'Could not parse request body into json: expected a JSON object');
  }
  if (nestingDepth(parsed, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH) {
    // what reads a body walks it recursively: a hostile depth would exhaust the stack
    throw new ApiError('InvalidRequestContentException', `Could not parse request body into json: Document nesting depth exceeds the maximum allowed (${MAX_NESTING_DEPTH})`);
  }
  return parsed as Record<string, unknown>;
}

/** Deepest JSON nesting a body may have (Lambda's JSON reader refuses deeper documents, at the same bound). */
export const MAX_NESTING_DEPTH = 1000;

/** The nesting depth of a parsed JSON value, counted without recursion; stops counting past `limit`. */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The raw body bytes (Invoke payloads). */
export function rawBody(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}
