import { appendFile, mkdir, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
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

/** One stored event and the byte offset of its record in its stream (stable: streams only grow). */
export interface StoredLogEvent extends LogEvent {
  readonly offset: number;
}

/** What a stream's file says about it. */
export interface LogStreamFile {
  readonly name: string;
  readonly createdMs: number;
  /** When the last event was written. */
  readonly lastWriteMs: number;
  readonly storedBytes: number;
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

  /** Every group with a directory, and when it was made. */
  async groups(): Promise<Array<{ name: string; createdMs: number }>> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch {
      return [];
    }
    const out = await Promise.all(
      names.map(async (n) => {
        const st = await stat(join(this.#dir, n)).catch(() => undefined);
        return st?.isDirectory() ? { name: decodeURIComponent(n), createdMs: st.birthtimeMs } : undefined;
      }),
    );
    return out.filter((g) => g !== undefined);
  }

  /** Makes an empty group; false when it exists already. */
  async createGroup(group: string): Promise<boolean> {
    await mkdir(this.#dir, { recursive: true });
    try {
      await mkdir(join(this.#dir, encodeURIComponent(group)));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  /** Removes a group and its streams; false when there was none. */
  async deleteGroup(group: string): Promise<boolean> {
    const groupDir = join(this.#dir, encodeURIComponent(group));
    if (!(await stat(groupDir).catch(() => undefined))?.isDirectory()) return false;
    await rm(groupDir, { recursive: true, force: true });
    this.#groupDirs.delete(groupDir);
    return true;
  }

  /** Removes one stream; false when there was none. */
  async deleteStream(group: string, stream: string): Promise<boolean> {
    try {
      await unlink(this.#streamFile(group, stream));
      return true;
    } catch {
      return false;
    }
  }

  /** The streams of a group with their file's times and size; undefined when the group does not exist. */
  async streamFiles(group: string): Promise<LogStreamFile[] | undefined> {
    const groupDir = join(this.#dir, encodeURIComponent(group));
    let names: string[];
    try {
      names = await readdir(groupDir);
    } catch {
      return undefined;
    }
    const files = await Promise.all(
      names
        .filter((n) => n.endsWith('.jsonl'))
        .map(async (n) => {
          const st = await stat(join(groupDir, n)).catch(() => undefined);
          return st && { name: decodeURIComponent(n.slice(0, -'.jsonl'.length)), createdMs: st.birthtimeMs, lastWriteMs: st.mtimeMs, storedBytes: st.size };
        }),
    );
    return files.filter((f) => f !== undefined);
  }

  /** Every complete event of a stream with its offset, oldest first ([] for a stream that does not exist). */
  async scan(group: string, stream: string): Promise<StoredLogEvent[]> {
    let buf: Buffer;
    try {
      buf = await readFile(this.#streamFile(group, stream));
    } catch {
      return [];
    }
    const events: StoredLogEvent[] = [];
    let at = 0;
    for (let nl = buf.indexOf(0x0a); nl >= 0; at = nl + 1, nl = buf.indexOf(0x0a, at)) {
      if (nl === at) continue;
      const o = JSON.parse(buf.subarray(at, nl).toString('utf8')) as { t: number; m: string };
      events.push({ timestampMs: o.t, message: o.m, offset: at });
    }
    return events;
  }

  #streamFile(group: string, stream: string): string {
    return join(this.#dir, encodeURIComponent(group), `${encodeURIComponent(stream)}.jsonl`);
  }
}
