// @ts-check
/**
 * Error types the Node runtime client reports, and their wire form. Lambda's shapes:
 * `{"errorType","errorMessage","trace"}` (the Node runtime sends `trace`, not `stackTrace`).
 */
const { types } = process.getBuiltinModule('node:util');

/** @param {string} name @returns {new (message?: string) => Error} */
function runtimeError(name) {
  const cls = class extends Error {};
  Object.defineProperty(cls, 'name', { value: name });
  cls.prototype.name = `Runtime.${name}`;
  return cls;
}

export const ImportModuleError = runtimeError('ImportModuleError');
export const HandlerNotFound = runtimeError('HandlerNotFound');
export const MalformedHandlerName = runtimeError('MalformedHandlerName');
export const UserCodeSyntaxError = runtimeError('UserCodeSyntaxError');
export const UnhandledPromiseRejection = runtimeError('UnhandledPromiseRejection');
export const NodeJsExit = runtimeError('NodeJsExit');
export const InvalidEntrypoint = runtimeError('InvalidEntrypoint');

export const NODEJS_EXIT_MESSAGE =
  'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled.';

/** @typedef {{errorType: string, errorMessage: string, trace?: string[]}} RapidError */

/** @param {unknown} value @returns {value is Error} */
function isErrorLike(value) {
  if (types.isNativeError(value)) return true;
  const v = /** @type {any} */ (value);
  return Boolean(v) && typeof v.name === 'string' && typeof v.message === 'string' && typeof v.stack === 'string';
}

/**
 * The error document posted to /error and /init/error.
 * @param {unknown} error
 * @returns {RapidError}
 */
export function toRapidResponse(error) {
  try {
    if (isErrorLike(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

/** @param {unknown} err @returns {Error} */
export function intoError(err) {
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * An error as one log field: a tab, then JSON with its type, message, own properties and stack lines.
 * @param {unknown} error
 */
export function toFormatted(error) {
  try {
    return '\t' + JSON.stringify(error, (_key, value) => {
      if (!(value instanceof Error)) return value;
      /** @type {Record<string, unknown>} */
      const out = { errorType: value.name, errorMessage: value.message, code: /** @type {any} */ (value).code, ...value };
      if (typeof value.stack === 'string') out['stack'] = value.stack.split('\n');
      return out;
    });
  } catch {
    return '\t' + JSON.stringify(toRapidResponse(error));
  }
}
