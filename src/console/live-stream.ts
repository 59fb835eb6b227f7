import type { ServerResponse } from 'node:http';
import type { Logger } from '../shared/index.ts';

/** Snapshots waiting to be sent to one client beyond this are dropped for it. */
const MAX_UNSENT_BYTES = 1 << 20;

export interface LiveStreamOptions {
  /** The JSON-able picture pushed to every client. */
  readonly snapshot: () => Promise<unknown>;
  /** A snapshot is pushed this often even when nothing changed (also the keep-alive). */
  readonly everyMs: number;
  /** After `changed()`, the push waits this long to gather the changes that come together. */
  readonly settleMs: number;
  readonly logger: Logger;
}

/**
 * Server-Sent Events to the console pages: one `snapshot` event to a client as it connects,
 * then to every client every `everyMs` and shortly after each `changed()`. One timer and one
 * snapshot per push serve every client; the timer runs only while a client is connected.
 * `close()` ends every stream (so that the server's close is not held up by them) and refuses
 * new ones.
 */
export class LiveStream {
  readonly #options: LiveStreamOptions;
  readonly #clients = new Set<ServerResponse>();
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  #pushing: Promise<void> | undefined;
  #closed = false;

  constructor(options: LiveStreamOptions) {
    this.#options = options;
  }

  get clients(): number {
    return this.#clients.size;
  }

  /** Takes over `res` as an event stream; it ends when the client goes or `close()` is called. */
  add(res: ServerResponse): void {
    if (this.#closed) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    this.#clients.add(res);
    res.once('close', () => {
      this.#clients.delete(res);
      if (this.#clients.size === 0) this.#stopTimer();
    });
    this.#timer ??= setInterval(() => void this.#push(), this.#options.everyMs);
    void this.#send([res]);
  }

  /** Something the page shows changed: push soon (changes close together share one push). */
  changed(): void {
    if (this.#clients.size === 0 || this.#soon !== undefined) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      void this.#push();
    }, this.#options.settleMs);
  }

  close(): void {
    this.#closed = true;
    this.#stopTimer();
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#soon);
    this.#timer = undefined;
    this.#soon = undefined;
  }

  /** One push at a time: a push asked for while one runs is skipped (the next one carries its change). */
  async #push(): Promise<void> {
    if (this.#pushing) return;
    this.#pushing = this.#send([...this.#clients]).finally(() => (this.#pushing = undefined));
    await this.#pushing;
  }

  async #send(to: ServerResponse[]): Promise<void> {
    let frame: string;
    try {
      frame = `event: snapshot\ndata: ${JSON.stringify(await this.#options.snapshot())}\n\n`;
    } catch (err) {
      this.#options.logger.warn({ err }, 'console snapshot failed');
      return;
    }
    for (const res of to) {
      // a client that does not read is skipped until it catches up, rather than buffered without bound
      if (this.#clients.has(res) && !res.writableEnded && res.writableLength < MAX_UNSENT_BYTES) res.write(frame);
    }
  }
}
