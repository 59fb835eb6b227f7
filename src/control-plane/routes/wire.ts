/**
 * Wire helpers shared by the control-plane routes: typed body parsing (member
 * types only; value rules live in the service), path and query labels, and the
 * upload size limits with Lambda's 413 texts.
 */
import { z } from 'zod';
import type { FastifyRequest } from '../../api/index.ts';
import { errors } from '../../shared/index.ts';
import { MAX_ZIP_BYTES } from '../request-checks.ts';

/** Lambda's limit on a request carrying an inline package: the base64 of 50 MB. */
export const MAX_UPLOAD_REQUEST_BYTES = 69_905_067;

export { parseBody, pathLabel, queryValue, queryList, queryInteger } from '../../api/index.ts';

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
