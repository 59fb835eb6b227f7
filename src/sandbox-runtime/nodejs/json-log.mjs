// @ts-check
/**
 * AWS's JSON log record for one console call (LoggingConfig LogFormat JSON), as the Node.js
 * runtime interface client writes it: one argument is kept as it is (an object stays an
 * object); several are `util.format`ted into one message, and the first Error among them adds
 * `errorType`, `errorMessage` and `stackTrace`. Errors anywhere become those three members.
 */
const { format } = process.getBuiltinModule('node:util');

/**
 * @param {unknown} error
 * @returns {{ errorType: string, errorMessage: string, stackTrace: string[] }}
 */
function errorMembers(error) {
  const e = /** @type {Error} */ (error);
  return { errorType: e?.constructor?.name ?? 'UnknownError', errorMessage: e.message, stackTrace: typeof e.stack === 'string' ? e.stack.split('\n') : [] };
}

/**
 * @param {string} _key
 * @param {unknown} value
 */
function errorReplacer(_key, value) {
  return value instanceof Error ? { ...errorMembers(value), ...value } : value;
}

/**
 * @param {string} timestamp
 * @param {string} level
 * @param {string | undefined} requestId
 * @param {unknown[]} args
 * @returns {string}
 */
export function jsonLogLine(timestamp, level, requestId, args) {
  /** @type {Record<string, unknown>} */
  const record = { timestamp, level, requestId };
  if (args.length === 1) {
    record['message'] = args[0];
    try {
      return JSON.stringify(record, errorReplacer);
    } catch {
      record['message'] = format(args[0]);
      return JSON.stringify(record);
    }
  }
  record['message'] = format(...args);
  const error = args.find((a) => a instanceof Error);
  if (error !== undefined) Object.assign(record, errorMembers(error));
  return JSON.stringify(record);
}
