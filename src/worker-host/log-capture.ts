import type { Readable } from 'node:stream';

/** One log event: what a function or the platform wrote, as CloudWatch Logs keeps it. */
export interface LogEvent {
  readonly timestampMs: number;
  readonly message: string;
}

/**
 * Where a sandbox's log events go: the log store (files, or the cluster's database) in a front
 * end's process; on a worker host of a cluster, a shipper that posts them to a front end. An append
 * resolves once the events are stored (`flush` waits for it before an invocation's result is returned).
 */
export interface LogSink {
  append(group: string, stream: string, events: readonly LogEvent[]): Promise<void>;
  /** Optional: the stream will be written soon; get it ready ahead of the first append. Never fails. */
  prepare?(group: string, stream: string): void;
}

/**
 * Collects a sandbox's stdout and stderr as log events: every line goes to the
 * sandbox's log stream, and while an invocation runs, also to that invocation's
 * buffer (for `LogType: Tail`). One invocation at a time, so attribution is exact
 * once the runtime has flushed before answering.
 */
export class LogCapture {
  readonly #store: LogSink;
  #target: { group: string; stream: string } | undefined;
  #pending: LogEvent[] = [];
  #invocation: string[] | undefined;
  #partial = '';

  readonly #undirected: (line: string) => void;

  /** `undirected` receives lines written before `direct` (a pool cell should write none). */
  constructor(store: LogSink, outputs: readonly Readable[], undirected: (line: string) => void) {
    this.#store = store;
    this.#undirected = undirected;
    for (const out of outputs) {
      out.setEncoding('utf8');
      out.on('data', (chunk: string) => this.#onData(chunk));
    }
  }

  /** From now on, events go to this log group and stream (set when the sandbox is specialised). */
  direct(group: string, stream: string): void {
    this.#target = { group, stream };
    this.#store.prepare?.(group, stream); // while the runtime initialises, not in the first invocation
  }

  /** Adds a platform line (START / END / REPORT) to the stream and the current invocation. */
  platform(line: string): void {
    this.#line(line);
  }

  beginInvocation(): void {
    this.#invocation = [];
  }

  /** Ends the current invocation and returns its log text. */
  endInvocation(): string {
    const lines = this.#invocation ?? [];
    this.#invocation = undefined;
    return lines.length === 0 ? '' : lines.join('\n') + '\n';
  }

  /** Writes buffered events to the log store. */
  async flush(): Promise<void> {
    if (!this.#target || this.#pending.length === 0) return;
    const events = this.#pending;
    this.#pending = [];
    await this.#store.append(this.#target.group, this.#target.stream, events);
  }

  #onData(chunk: string): void {
    const text = this.#partial + chunk;
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#line(line);
  }

  #line(line: string): void {
    this.#invocation?.push(line);
    if (this.#target) this.#pending.push({ timestampMs: Date.now(), message: line });
    else this.#undirected(line);
  }
}
