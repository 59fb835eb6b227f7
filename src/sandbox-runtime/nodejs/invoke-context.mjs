// @ts-check
/**
 * The `context` object a Node handler receives, and the once-only completion functions behind
 * `callback`, `context.done/succeed/fail` and a returned promise (Lambda's callback semantics:
 * with `callbackWaitsForEmptyEventLoop` true, a callback result is sent when the event loop drains).
 */
import { toRapidResponse } from './errors.mjs';
import { logError } from './log-patch.mjs';

/** One-shot listener run when the event loop drains (the `beforeExit` event). */
let beforeExitListener = /** @type {(() => void) | undefined} */ (undefined);
process.on('beforeExit', () => {
  const listener = beforeExitListener;
  beforeExitListener = undefined;
  listener?.();
});

/** @param {(() => void) | undefined} listener */
export function setBeforeExit(listener) {
  beforeExitListener = listener;
}

/**
 * @typedef {object} Completion
 * @property {(err?: unknown, result?: unknown) => void} callback
 * @property {(err?: unknown, result?: unknown) => void} done
 * @property {(result?: unknown) => void} succeed
 * @property {(err?: unknown) => void} fail
 * @property {{waitsForEmptyEventLoop: boolean}} flags
 */

/**
 * @param {import('./rapid-client.mjs').RapidClient} client
 * @param {string} requestId
 * @param {() => void} scheduleNext
 * @returns {Completion}
 */
export function buildCompletion(client, requestId, scheduleNext) {
  let finished = false;
  const flags = { waitsForEmptyEventLoop: true };
  const after = () => scheduleNext();
  const fatal = (/** @type {unknown} */ err) => {
    process.stderr.write(`flint runtime: cannot reach the Runtime API: ${err}\n`);
    process.exit(1);
  };
  const postError = (/** @type {unknown} */ err) => {
    logError('Invoke Error', err);
    client.postInvocationError(requestId, toRapidResponse(err)).then(after, fatal);
  };
  const postResult = (/** @type {unknown} */ result) => {
    let body;
    try {
      body = JSON.stringify(result === undefined ? null : result) ?? 'null';
    } catch (e) {
      postError(new Error(`Unable to stringify response body: ${/** @type {Error} */ (e).message}`));
      return;
    }
    client.postInvocationResponse(requestId, body).then(after, fatal);
  };
  /** @param {(...args: any[]) => void} fn */
  const once = (fn) => (/** @type {any[]} */ ...args) => {
    if (finished) return;
    finished = true;
    setBeforeExit(undefined);
    fn(...args);
  };
  const done = once((err, result) => (err !== undefined && err !== null ? postError(err) : postResult(result)));
  return {
    flags,
    done,
    succeed: (result) => done(null, result),
    fail: (err) => done(err === undefined || err === null ? 'handled' : err),
    callback: once((err, result) => {
      if (err !== undefined && err !== null) postError(err);
      else if (!flags.waitsForEmptyEventLoop) postResult(result);
      else setBeforeExit(() => setImmediate(() => postResult(result)));
    }),
  };
}

/**
 * @param {import('./rapid-client.mjs').RapidHeaders} headers headers of the /next answer
 * @param {Completion} completion
 */
export function buildContext(headers, completion) {
  const env = process.env;
  const deadlineMs = Number(headers['lambda-runtime-deadline-ms']);
  return {
    get callbackWaitsForEmptyEventLoop() {
      return completion.flags.waitsForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      completion.flags.waitsForEmptyEventLoop = Boolean(value);
    },
    succeed: completion.succeed,
    fail: completion.fail,
    done: completion.done,
    functionName: env['AWS_LAMBDA_FUNCTION_NAME'],
    functionVersion: env['AWS_LAMBDA_FUNCTION_VERSION'],
    memoryLimitInMB: env['AWS_LAMBDA_FUNCTION_MEMORY_SIZE'],
    logGroupName: env['AWS_LAMBDA_LOG_GROUP_NAME'],
    logStreamName: env['AWS_LAMBDA_LOG_STREAM_NAME'],
    invokedFunctionArn: header(headers, 'lambda-runtime-invoked-function-arn'),
    awsRequestId: header(headers, 'lambda-runtime-aws-request-id'),
    clientContext: parseJson(header(headers, 'lambda-runtime-client-context'), 'ClientContext'),
    identity: parseJson(header(headers, 'lambda-runtime-cognito-identity'), 'CognitoIdentity'),
    tenantId: header(headers, 'lambda-runtime-aws-tenant-id'),
    getRemainingTimeInMillis: () => deadlineMs - Date.now(),
  };
}

/** @param {import('./rapid-client.mjs').RapidHeaders} headers @param {string} name @returns {string | undefined} */
export function header(headers, name) {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** @param {string | undefined} text @param {string} what */
function parseJson(text, what) {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`Cannot parse ${what} as json: ${/** @type {Error} */ (e).message}`);
  }
}
