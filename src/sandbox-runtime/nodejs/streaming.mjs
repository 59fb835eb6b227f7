// @ts-check
/**
 * Response streaming for Node handlers, as AWS's runtime offers it: the global `awslambda`
 * (`streamifyResponse(handler)`, `HttpResponseStream.from(stream, metadata)`), and the invocation
 * of a streaming handler, `handler(event, responseStream, context)`, whose `responseStream` is the
 * body of a `/response` POST in the Runtime API's streaming mode (`Lambda-Runtime-Function-Response-Mode:
 * streaming`, chunked): each write leaves for the caller at once. A handler that fails after writing
 * ends the body with the trailers `Lambda-Runtime-Function-Error-Type` / `-Error-Body` (base64 JSON).
 */
import { NodeJsExit, NODEJS_EXIT_MESSAGE, toRapidResponse } from './errors.mjs';
import { buildContext, setBeforeExit } from './invoke-context.mjs';
import { flushStdio, logError } from './log-patch.mjs';
const { createRequire } = process.getBuiltinModule('node:module');

/**
 * Streamed responses go over node:http (chunked body, trailers) on their own kept-alive
 * connection; the RapidClient's hand-written socket serves /next and buffered answers.
 * Idle keep-alive sockets are unref'd by the agent, so they never keep the process alive.
 * node:http is loaded only for a streaming handler, at its init (`prepareStreaming`): loading
 * it takes ~20 ms, which every sandbox start would otherwise pay.
 * @type {{ http: typeof import('node:http'), agent: import('node:http').Agent } | undefined}
 */
let streamHttp;

/** Loads what streamed responses need (called at init when the handler streams). */
export function prepareStreaming() {
  if (streamHttp) return streamHttp;
  const http = /** @type {typeof import('node:http')} */ (createRequire(import.meta.url)('node:http'));
  streamHttp = { http, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
  return streamHttp;
}

const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HANDLER_HIGHWATERMARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';
const ERROR_TYPE_TRAILER = 'Lambda-Runtime-Function-Error-Type';
const ERROR_BODY_TRAILER = 'Lambda-Runtime-Function-Error-Body';
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const PRELUDE_DELIMITER = new Uint8Array(8);
/** Largest error body (base64) sent in a trailer; the Runtime API takes header blocks up to 256 KB. */
const MAX_ERROR_TRAILER_CHARS = 128 * 1024;

/** The `awslambda` global (unless AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA is `1` or `true`, as in AWS). */
export function installAwsLambdaGlobal() {
  const off = process.env['AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA'];
  if (off === '1' || off === 'true') return;
  /** @type {any} */ (globalThis).awslambda = {
    /**
     * @param {Function} handler
     * @param {{highWaterMark?: number}} [options]
     */
    streamifyResponse(handler, options) {
      /** @type {any} */ (handler)[HANDLER_STREAMING] = STREAM_RESPONSE;
      if (typeof options?.highWaterMark === 'number') /** @type {any} */ (handler)[HANDLER_HIGHWATERMARK] = Math.trunc(options.highWaterMark);
      return handler;
    },
    HttpResponseStream,
  };
}

/** @param {Function} handler */
export function isStreamingHandler(handler) {
  return /** @type {any} */ (handler)[HANDLER_STREAMING] === STREAM_RESPONSE;
}

/** `application/vnd.awslambda.http-integration-response`: a JSON prelude and 8 NUL bytes, then the body. */
export class HttpResponseStream {
  /**
   * @param {any} stream a response stream
   * @param {object} metadata `{statusCode, headers, cookies}`
   */
  static from(stream, metadata) {
    stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    const prelude = JSON.stringify(metadata);
    stream._onBeforeFirstWrite = (/** @type {(chunk: string | Uint8Array) => void} */ write) => {
      write(prelude);
      write(PRELUDE_DELIMITER);
    };
    return stream;
  }
}

/**
 * Runs one invocation of a streaming handler, then `next()` once the Runtime API accepted its answer.
 * @param {import('./rapid-client.mjs').RapidClient} client
 * @param {Function} handler
 * @param {import('./rapid-client.mjs').RapidHeaders} headers of the /next answer
 * @param {Buffer} body the event
 * @param {string} requestId
 * @param {() => void} next
 */
export function runStreamingInvocation(client, handler, headers, body, requestId, next) {
  const response = openResponseStream(client, requestId);
  let settled = false;
  const fatal = (/** @type {unknown} */ err) => {
    process.stderr.write(`flint runtime: cannot reach the Runtime API: ${err}\n`);
    process.exit(1);
  };
  const after = () => response.accepted.then(next, fatal);
  const fail = (/** @type {unknown} */ err) => {
    if (settled) return;
    settled = true;
    setBeforeExit(undefined);
    logError('Invoke Error', err);
    response.fail(err);
    after();
  };
  const succeed = () => {
    if (settled) return;
    settled = true;
    setBeforeExit(undefined);
    if (!response.ended()) response.fail(new Error('Response stream is not finished.'));
    after();
  };
  setBeforeExit(() => fail(new NodeJsExit(NODEJS_EXIT_MESSAGE)));
  const completion = {
    flags: { waitsForEmptyEventLoop: true },
    callback: (/** @type {unknown} */ err) => (err ? fail(err) : succeed()),
    done: (/** @type {unknown} */ err) => (err ? fail(err) : succeed()),
    succeed,
    fail: (/** @type {unknown} */ err) => fail(err ?? 'handled'),
  };
  try {
    const context = buildContext(headers, completion);
    const result = handler(JSON.parse(body.toString('utf8')), response.stream, context);
    if (!result || typeof result.then !== 'function') {
      fail(new Error('Streaming does not support non-async handlers.'));
      return;
    }
    result.then((/** @type {unknown} */ value) => {
      if (value !== undefined) console.warn('Streaming handlers ignore return values.');
      succeed();
    }, fail);
  } catch (err) {
    fail(err);
  }
}

/**
 * The `/response` POST in streaming mode. Its request is the handler's `responseStream`
 * (a writable stream, plus `setContentType` before the first write).
 * @param {import('./rapid-client.mjs').RapidClient} client
 * @param {string} requestId
 */
function openResponseStream(client, requestId) {
  /** @type {(value: unknown) => void} */
  let acceptedResolve = () => {};
  /** @type {(err: unknown) => void} */
  let acceptedReject = () => {};
  const accepted = new Promise((resolve, reject) => {
    acceptedResolve = resolve;
    acceptedReject = reject;
  });
  const { http, agent } = prepareStreaming();
  const req = /** @type {any} */ (http.request({
    agent,
    host: client.host,
    port: client.port,
    method: 'POST',
    path: `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response`,
    headers: {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Transfer-Encoding': 'chunked',
      Trailer: `${ERROR_TYPE_TRAILER}, ${ERROR_BODY_TRAILER}`,
      'Content-Type': 'application/octet-stream',
    },
  }, (res) => {
    res.resume();
    res.on('end', () => acceptedResolve(undefined));
    res.on('error', acceptedReject);
  }));
  req.on('error', acceptedReject);

  let written = false;
  let ended = false;
  const write = req.write.bind(req);
  const end = req.end.bind(req);
  const beforeFirstWrite = () => {
    if (written) return;
    written = true;
    if (typeof req._onBeforeFirstWrite === 'function') req._onBeforeFirstWrite((/** @type {any} */ chunk) => write(chunk));
  };
  req.setContentType = (/** @type {string} */ contentType) => {
    if (written) throw Object.assign(new Error('Cannot set content-type, too late.'), { name: 'Runtime.InvalidStreamingOperation' });
    req.setHeader('Content-Type', contentType);
  };
  req.write = (/** @type {any} */ chunk, /** @type {any[]} */ ...rest) => {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) chunk = JSON.stringify(chunk);
    beforeFirstWrite();
    return write(chunk, ...rest);
  };
  // The function's log lines reach the host before the answer that ends the invocation.
  req.end = (/** @type {any[]} */ ...args) => {
    if (ended) return req;
    ended = true;
    const chunk = typeof args[0] === 'function' ? undefined : args[0];
    if (chunk !== undefined && chunk !== null) req.write(chunk);
    else beforeFirstWrite();
    const callback = args.find((a) => typeof a === 'function');
    flushStdio().then(() => end(callback));
    return req;
  };
  return {
    stream: req,
    accepted,
    ended: () => ended,
    /** Ends the body with the error trailers (when it has not ended already). @param {unknown} err */
    fail(err) {
      if (ended) return;
      const doc = toRapidResponse(err);
      let body = Buffer.from(JSON.stringify(doc)).toString('base64');
      if (body.length > MAX_ERROR_TRAILER_CHARS) {
        // trailers share the header size limit: keep the type and the start of the message
        body = Buffer.from(JSON.stringify({ errorType: doc.errorType, errorMessage: String(doc.errorMessage).slice(0, 16 * 1024) })).toString('base64');
      }
      req.addTrailers({
        [ERROR_TYPE_TRAILER]: String(doc.errorType).replace(/[^\x20-\x7e]/g, ''),
        [ERROR_BODY_TRAILER]: body,
      });
      req.end();
    },
  };
}
