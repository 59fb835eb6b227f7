import { appendFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** One log event: what a function or the platform wrote, as CloudWatch Logs keeps it. */
export interface LogEvent {
  readonly timestampMs: number;
  readonly message: string;
}

/**
 * Function logs kept like CloudWatch Logs: a group per function (`/aws/lambda/NAME`),
 * a stream per sandbox. Appends are ordered per stream.
 */
export interface LogStore {
  append(group: string, stream: string, events: readonly LogEvent[]): Promise<void>;
  /** Stream names of a group, oldest first. */
  streams(group: string): Promise<string[]>;
  /** Events of one stream, from byte `offset` on; returns the offset to continue from. */
  read(group: string, stream: string, offset?: number): Promise<{ events: LogEvent[]; nextOffset: number }>;
}

/** Log store on the local disk: one JSON-lines file per stream under `<dir>/<group>/<stream>.jsonl`. */
export class FileLogStore implements LogStore {
  readonly #dir: string;
  readonly #queues = new Map<string, Promise<void>>();
  /** Group directories known to exist: a mkdir per append is wasted work on the invoke path. */
  readonly #groupDirs = new Set<string>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  append(group: string, stream: string, events: readonly LogEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const text = events.map((e) => JSON.stringify({ t: e.timestampMs, m: e.message })).join('\n') + '\n';
    const key = `${group}\0${stream}`;
    const next = (this.#queues.get(key) ?? Promise.resolve()).then(async () => {
      const groupDir = join(this.#dir, encodeURIComponent(group));
      if (!this.#groupDirs.has(groupDir)) {
        await mkdir(groupDir, { recursive: true });
        this.#groupDirs.add(groupDir);
      }
      await appendFile(join(groupDir, `${encodeURIComponent(stream)}.jsonl`), text);
    });
    const settled = next.catch(() => undefined);
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return next;
  }

  async streams(group: string): Promise<string[]> {
    const groupDir = join(this.#dir, encodeURIComponent(group));
    let names: string[];
    try {
      names = await readdir(groupDir);
    } catch {
      return [];
    }
    const withTimes = await Promise.all(
      names.filter((n) => n.endsWith('.jsonl')).map(async (n) => ({ n, t: (await stat(join(groupDir, n))).birthtimeMs })),
    );
    return withTimes.sort((a, b) => a.t - b.t).map((x) => decodeURIComponent(x.n.slice(0, -'.jsonl'.length)));
  }

  async read(group: string, stream: string, offset = 0): Promise<{ events: LogEvent[]; nextOffset: number }> {
    let buf: Buffer;
    try {
      buf = await readFile(join(this.#dir, encodeURIComponent(group), `${encodeURIComponent(stream)}.jsonl`));
    } catch {
      return { events: [], nextOffset: offset };
    }
    const end = buf.lastIndexOf(0x0a) + 1;
    if (end <= offset) return { events: [], nextOffset: offset };
    const events = buf
      .subarray(offset, end)
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const o = JSON.parse(l) as { t: number; m: string };
        return { timestampMs: o.t, message: o.m };
      });
    return { events, nextOffset: end };
  }
}
