/**
 * Reader of bubblewrap's `--json-status-fd` stream: one JSON object per line,
 * first `{"child-pid": N}` (host pid of the sandbox's pid 1), then
 * `{"exit-code": N}` when the sandbox's pid 1 (the supervisor) ends.
 */
import type { Readable } from 'node:stream';
import { onLines } from './on-lines.ts';

export class BwrapStatus {
  /** Resolves with the sandbox's pid 1; rejects if the stream ends first (bubblewrap failed). */
  readonly childPidReady: Promise<number>;
  /** Resolves with the runtime's exit status, or undefined if the stream ended without one. */
  readonly exitCode: Promise<number | undefined>;
  #childPid: number | undefined;
  readonly #stream: Readable;

  constructor(stream: Readable) {
    this.#stream = stream;
    let onPid!: (pid: number) => void;
    let noPid!: (err: Error) => void;
    let onExit!: (code: number | undefined) => void;
    this.childPidReady = new Promise((resolve, reject) => ((onPid = resolve), (noPid = reject)));
    this.childPidReady.catch(() => undefined);
    this.exitCode = new Promise((resolve) => (onExit = resolve));
    onLines(stream, (line) => {
      const record = parse(line);
      if (typeof record['child-pid'] === 'number' && this.#childPid === undefined) {
        this.#childPid = record['child-pid'];
        onPid(this.#childPid);
      }
      if (typeof record['exit-code'] === 'number') onExit(record['exit-code']);
    });
    const ended = () => {
      noPid(new Error('bubblewrap ended before starting the sandbox'));
      onExit(undefined);
    };
    stream.on('end', ended);
    stream.on('close', ended);
    stream.on('error', ended);
  }

  get childPid(): number | undefined {
    return this.#childPid;
  }

  close(): void {
    this.#stream.destroy();
  }
}

function parse(line: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
