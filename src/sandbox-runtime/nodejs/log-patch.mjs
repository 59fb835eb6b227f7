// @ts-check
/**
 * Replaces `console.*` so that every line reaches the function log as Lambda's text format:
 * `<ISO time>\t<request id>\t<LEVEL>\t<message>` with inner newlines turned into `\r`
 * (one record per line). `AWS_LAMBDA_LOG_LEVEL` filters levels as in AWS's runtime.
 * With `AWS_LAMBDA_LOG_FORMAT=JSON` (LoggingConfig LogFormat JSON) every line is instead AWS's JSON
 * record: `{"timestamp","level","requestId","message"}`; a single object logged stays JSON in
 * `message`, and an Error adds `errorType`, `errorMessage` and `stackTrace` (json-log.mjs).
 */
import { intoError, toFormatted } from './errors.mjs';
import { jsonLogLine } from './json-log.mjs';
const { format } = process.getBuiltinModule('node:util');

/** Current request id; `undefined` during init, as in Lambda's own log lines. */
let currentRequestId = /** @type {string | undefined} */ (undefined);

/** @param {string | undefined} id */
export function setCurrentRequestId(id) {
  currentRequestId = id;
}

const LEVELS = /** @type {const} */ (['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);

/**
 * @param {string} level
 * @param {unknown[]} args
 */
function writeLine(level, args) {
  const line = `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}`;
  process.stdout.write(line.replace(/\n/g, '\r') + '\n');
}

/**
 * @param {string} level
 * @param {unknown[]} args
 */
function writeJsonLine(level, args) {
  process.stdout.write(jsonLogLine(new Date().toISOString(), level, currentRequestId, args) + '\n');
}

/** Chosen once, when the console is patched (after the function's environment is applied). */
let jsonFormat = false;

export function patchConsole() {
  jsonFormat = process.env['AWS_LAMBDA_LOG_FORMAT'] === 'JSON';
  const write = jsonFormat ? writeJsonLine : writeLine;
  const wanted = (process.env['AWS_LAMBDA_LOG_LEVEL'] ?? 'TRACE').toUpperCase();
  const minimum = Math.max(0, LEVELS.indexOf(/** @type {any} */ (wanted)));
  /** @param {typeof LEVELS[number]} level */
  const logger = (level) => LEVELS.indexOf(level) >= minimum
    ? (/** @type {unknown[]} */ ...args) => write(level, args)
    : () => {};
  const c = /** @type {any} */ (console);
  c.trace = logger('TRACE');
  c.debug = logger('DEBUG');
  c.info = logger('INFO');
  c.log = c.info;
  c.warn = logger('WARN');
  c.error = logger('ERROR');
  c.fatal = logger('FATAL');
}

/**
 * Logs an error the way AWS's runtime does before reporting it ("Invoke Error", "Uncaught Exception"...).
 * @param {string} title
 * @param {unknown} error
 */
export function logError(title, error) {
  if (jsonFormat) console.error(title, intoError(error));
  else console.error(title, toFormatted(intoError(error)));
}

/** Resolves once everything written to stdout and stderr has been handed to the OS. */
export function flushStdio() {
  /** @type {Promise<void>[]} */
  const waits = [];
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength > 0) waits.push(new Promise((resolve) => stream.write('', () => resolve())));
  }
  return waits.length === 0 ? Promise.resolve() : Promise.all(waits).then(() => {});
}
