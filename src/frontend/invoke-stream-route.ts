import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply } from '../api/index.ts';
import type { InvocationOutcome, ResolvedTarget, ResponseSink } from '../model/index.ts';
import { ApiError, writeOrDrain } from '../shared/index.ts';
import { completeError, EVENT_STREAM_CONTENT_TYPE, invokeComplete, payloadChunk } from './event-stream.ts';
import type { InvokeService } from './invoke-service.ts';
import { MAX_SYNC_PAYLOAD_BYTES } from './invoke-limits.ts';
import { header, invokeRequestParts } from './invoke-request-wire.ts';

export interface InvokeStreamRouteDeps {
  readonly invoker: InvokeService;
}

/**
 * `POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations` (InvokeWithResponseStream):
 * the same invoke path as Invoke (validation, qualifiers, throttles and their errors, before any byte
 * is sent), then `200 application/vnd.amazon.eventstream`: one `PayloadChunk` per piece the function
 * writes, sent as it arrives, and a final `InvokeComplete` (ErrorCode / ErrorDetails when the function
 * failed, even after some chunks; LogResult with LogType Tail). A function that does not stream sends
 * its whole response as one chunk.
 */
export function registerInvokeStreamRoute(app: FastifyInstance, deps: InvokeStreamRouteDeps): void {
  app.post<{ Params: { name: string }; Querystring: { Qualifier?: string } }>(
    '/2021-11-15/functions/:name/response-streaming-invocations',
    { bodyLimit: MAX_SYNC_PAYLOAD_BYTES + 1024 * 1024 },
    async (req, reply) => {
      const invocationType = parseStreamingInvocationType(header(req, 'x-amz-invocation-type'));
      const body = new EventStreamBody(reply);
      let result;
      try {
        result = await deps.invoker.invoke({
          entry: 'InvokeWithResponseStream',
          invocationType,
          ...invokeRequestParts(req),
          responseStream: (target) => body.sinkFor(target),
        });
      } catch (err) {
        if (!body.opened) throw err; // nothing sent yet: Lambda's error response
        req.log.error({ err }, 'InvokeWithResponseStream failed after its stream began');
        body.end({ ErrorCode: 'ServiceException', ErrorDetails: 'An internal error occurred while streaming the response.' });
        return reply;
      }
      if (result.kind !== 'completed') return reply.code(204).send();
      body.finish(result.target, result.outcome);
      return reply;
    },
  );
}

/** The response body: frames written as they come, headers sent with the first one. */
class EventStreamBody {
  readonly #reply: FastifyReply;
  readonly #stream = new PassThrough();
  #target: ResolvedTarget | undefined;
  #opened = false;
  #gone = false;

  constructor(reply: FastifyReply) {
    this.#reply = reply;
    this.#stream.once('close', () => (this.#gone = true));
  }

  get opened(): boolean {
    return this.#opened;
  }

  sinkFor(target: ResolvedTarget): ResponseSink {
    this.#target = target;
    return { write: (chunk) => this.#write(payloadChunk(chunk)) };
  }

  finish(target: ResolvedTarget, outcome: InvocationOutcome): void {
    this.#target = target;
    if (!outcome.streamed && !outcome.functionError && outcome.payload.length > 0) void this.#write(payloadChunk(outcome.payload));
    const error = outcome.functionError ? completeError(outcome.errorType, outcome.payload) : undefined;
    this.end({ ...error, LogResult: outcome.logResult });
  }

  end(complete: Parameters<typeof invokeComplete>[0]): void {
    this.#open();
    if (this.#gone) return;
    this.#gone = true; // a late write of the runtime's (after a timeout) is dropped
    this.#stream.end(invokeComplete(complete));
  }

  /** Writes one frame; the promise (when the client reads slower than the function writes) settles once it drained. */
  #write(frame: Uint8Array): Promise<void> | undefined {
    this.#open();
    return writeOrDrain(this.#stream, frame, this.#gone);
  }

  #open(): void {
    if (this.#opened) return;
    this.#opened = true;
    const reply = this.#reply.code(200).type(EVENT_STREAM_CONTENT_TYPE);
    if (this.#target) void reply.header('X-Amz-Executed-Version', this.#target.config.version);
    // A caller that hangs up does not hold the function back: what it writes from then on is dropped.
    this.#reply.raw.once('close', () => {
      this.#gone = true;
      this.#stream.destroy();
    });
    void reply.send(this.#stream);
  }
}

/** X-Amz-Invocation-Type of InvokeWithResponseStream: `RequestResponse` (default) or `DryRun`. */
export function parseStreamingInvocationType(value: string | undefined): 'RequestResponse' | 'DryRun' {
  if (value === undefined || value === '' || value === 'RequestResponse') return 'RequestResponse';
  if (value === 'DryRun') return value;
  throw new ApiError(
    'ValidationException',
    `1 validation error detected: Value '${value}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]`,
  );
}
