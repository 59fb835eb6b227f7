// @ts-check
/**
 * The standard Runtime API loop: `next` -> run the handler -> `response` or `error` -> `next`.
 * One invocation at a time; the next `next` is requested only after the answer was accepted.
 */
import { NodeJsExit, NODEJS_EXIT_MESSAGE } from './errors.mjs';
import { buildCompletion, buildContext, header, setBeforeExit } from './invoke-context.mjs';
import { setCurrentRequestId } from './log-patch.mjs';
import { isStreamingHandler, prepareStreaming, runStreamingInvocation } from './streaming.mjs';

export class InvokeLoop {
  /**
   * @param {import('./rapid-client.mjs').RapidClient} client
   * @param {Function} handler
   * @param {{requestId: string | undefined}} errorScope where uncaught errors are reported
   */
  constructor(client, handler, errorScope) {
    this.client = client;
    this.handler = handler;
    this.errorScope = errorScope;
    this.isAsync = handler.constructor?.name === 'AsyncFunction';
    this.streaming = isStreamingHandler(handler);
    if (this.streaming) prepareStreaming(); // part of the init phase, not of the first invocation
  }

  /** Asks for the next invocation once this turn of the event loop is over (after an answer). */
  start() {
    setImmediate(() => this.run());
  }

  /** Asks for the next invocation now (the first, right after init). */
  run() {
    this.handleOnce().catch((err) => {
      process.stderr.write(`flint runtime: ${err?.stack ?? err}\n`);
      process.exit(1);
    });
  }

  async handleOnce() {
    const { headers, body } = await this.client.nextInvocation();
    const requestId = header(headers, 'lambda-runtime-aws-request-id') ?? '';
    const traceId = header(headers, 'lambda-runtime-trace-id');
    if (traceId === undefined) delete process.env['_X_AMZN_TRACE_ID'];
    else process.env['_X_AMZN_TRACE_ID'] = traceId;
    setCurrentRequestId(requestId);
    this.errorScope.requestId = requestId;
    if (this.streaming) return runStreamingInvocation(this.client, this.handler, headers, body, requestId, () => this.start());

    const completion = buildCompletion(this.client, requestId, () => this.start());
    // Neither callback nor promise, and the loop drained: Lambda answers null (or fails an async handler).
    setBeforeExit(() => {
      if (this.isAsync) completion.fail(new NodeJsExit(NODEJS_EXIT_MESSAGE));
      else completion.succeed(null);
    });
    try {
      const context = buildContext(headers, completion);
      const result = this.handler(JSON.parse(body.toString('utf8')), context, completion.callback);
      if (result && typeof result.then === 'function') {
        result.then(completion.succeed, completion.fail);
      }
    } catch (err) {
      completion.callback(err);
    }
  }
}
