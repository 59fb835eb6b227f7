import { ApiError } from '../shared/index.ts';

/**
 * The caller-visible answers for a refused deployment package. All are
 * InvalidParameterValueException, as in Lambda; a package that is simply not a
 * readable zip gets Lambda's own text, a package that is readable but unsafe
 * gets a message naming the entry and the reason.
 */
export const UNZIP_FAILED_MESSAGE = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

export function unzipFailed(): ApiError {
  return new ApiError('InvalidParameterValueException', UNZIP_FAILED_MESSAGE);
}

export function unzippedTooLarge(maxUnzippedBytes: number): ApiError {
  return new ApiError('InvalidParameterValueException', `Unzipped size must be smaller than ${maxUnzippedBytes} bytes`);
}

export function packageRefused(reason: string): ApiError {
  return new ApiError('InvalidParameterValueException', `The deployment package was refused: ${reason}.`);
}

/** Quotes an entry name for a message: JSON escaping keeps control characters visible, and long names are cut. */
export function quoteName(name: string): string {
  const shown = name.length > 200 ? `${name.slice(0, 200)}...` : name;
  return JSON.stringify(shown);
}
