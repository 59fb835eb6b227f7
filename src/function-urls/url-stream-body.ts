/**
 * The response of a RESPONSE_STREAM URL: bytes go to the client as the function writes them.
 * A stream opened with `awslambda.HttpResponseStream.from` (content type
 * `application/vnd.awslambda.http-integration-response`) starts with a JSON prelude
 * (`statusCode`, `headers`, `cookies`) and 8 NUL bytes: the prelude becomes the status and
 * headers, the rest the body. Any other stream is a 200 with the stream's content type.
 */
import { PassThrough } from 'node:stream';
import type { FastifyReply } from '../api/index.ts';
import type { InvocationOutcome, ResponseSink } from '../model/index.ts';
import { writeOrDrain } from '../shared/index.ts';
import { BAD_GATEWAY, HTTP_INTEGRATION_CONTENT_TYPE, mapFunctionResponse, PRELUDE_DELIMITER as DELIMITER, preludeResponse, type UrlResponse } from './http-response.ts';

/** A prelude longer than this is not one: the bytes are sent as they are. */
const MAX_PRELUDE_BYTES = 64 * 1024;

/** Sends a whole (buffered) URL response with the extra (CORS) headers. */
export function sendUrlResponse(reply: FastifyReply, response: UrlResponse, extra: Readonly<Record<string, string>>): FastifyReply {
  void reply.code(response.status).headers({ ...response.headers, ...extra });
  if (response.cookies.length > 0) void reply.header('set-cookie', [...response.cookies]);
  return reply.send(response.body);
}

export class UrlStreamBody {
  readonly #reply: FastifyReply;
  readonly #extra: Readonly<Record<string, string>>;
  readonly #stream = new PassThrough();
  #contentType: string | undefined;
  /** The prelude read so far, while a `http-integration-response` stream has not passed its delimiter. */
  #pending: Buffer | undefined;
  #opened = false;
  #gone = false;

  constructor(reply: FastifyReply, extraHeaders: Readonly<Record<string, string>>) {
    this.#reply = reply;
    this.#extra = extraHeaders;
    this.#stream.once('close', () => (this.#gone = true));
  }

  get opened(): boolean {
    return this.#opened;
  }

  sink(): ResponseSink {
    return {
      begin: (contentType) => {
        this.#contentType = contentType;
        if (contentType?.split(';')[0]?.trim() === HTTP_INTEGRATION_CONTENT_TYPE) this.#pending = Buffer.alloc(0);
      },
      write: (chunk) => this.#write(chunk),
    };
  }

  /** Settles the response once the invocation ended (a function error before any byte: 502). */
  finish(outcome: InvocationOutcome): void {
    if (this.#opened) {
      this.#end();
      return;
    }
    if (outcome.functionError) {
      sendUrlResponse(this.#reply, BAD_GATEWAY, this.#extra);
      return;
    }
    if (this.#pending !== undefined) {
      // the stream ended inside (or right after) its prelude
      const at = this.#pending.indexOf(DELIMITER);
      this.#open(preludeResponse(this.#pending.subarray(0, at < 0 ? this.#pending.length : at).toString('utf8')));
      this.#end();
      return;
    }
    if (!outcome.streamed) {
      sendUrlResponse(this.#reply, mapFunctionResponse(outcome.payload, outcome.contentType), this.#extra);
      return;
    }
    this.#open({ status: 200, headers: { 'content-type': this.#contentType ?? 'application/octet-stream' }, cookies: [] });
    this.#end();
  }

  /** A platform failure after the stream began: the response ends where it is. */
  abort(): void {
    this.#end();
  }

  #write(chunk: Buffer): Promise<void> | undefined {
    if (this.#pending !== undefined) {
      const all = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
      const at = all.indexOf(DELIMITER);
      if (at < 0 && all.length <= MAX_PRELUDE_BYTES) {
        this.#pending = all;
        return undefined;
      }
      this.#pending = undefined;
      if (at < 0) {
        this.#open({ status: 200, headers: { 'content-type': 'application/octet-stream' }, cookies: [] });
        return this.#push(all);
      }
      this.#open(preludeResponse(all.subarray(0, at).toString('utf8')));
      const rest = all.subarray(at + DELIMITER.length);
      return rest.length > 0 ? this.#push(rest) : undefined;
    }
    if (!this.#opened) this.#open({ status: 200, headers: { 'content-type': this.#contentType ?? 'application/octet-stream' }, cookies: [] });
    return this.#push(chunk);
  }

  #push(chunk: Buffer): Promise<void> | undefined {
    return writeOrDrain(this.#stream, chunk, this.#gone);
  }

  #end(): void {
    if (this.#gone) return;
    this.#gone = true; // a late write (after a timeout) is dropped
    this.#stream.end();
  }

  #open(head: Omit<UrlResponse, 'body'>): void {
    if (this.#opened) return;
    this.#opened = true;
    void this.#reply.code(head.status).headers({ ...head.headers, ...this.#extra });
    if (head.cookies.length > 0) void this.#reply.header('set-cookie', [...head.cookies]);
    // A client that hangs up does not hold the function back: what it writes from then on is dropped.
    this.#reply.raw.once('close', () => {
      this.#gone = true;
      this.#stream.destroy();
    });
    void this.#reply.send(this.#stream);
  }
}
