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
  return parsed as Record<string, unknown>;
}

/** The raw body bytes (Invoke payloads). */
export function rawBody(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}
