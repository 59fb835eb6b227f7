/**
 * The log store of the all-in-one process, on the local disk: one JSON-lines file per stream under
 * `<dir>/<group>/<stream>.jsonl` (names URI-encoded), an event's offset being the byte offset of its
 * line; retention policies in one small JSON file (`{"<group>": <days>}`), written whole through a
 * temporary file and a rename. Appends are ordered per stream, written synchronously (small writes
 * to the page cache) and not fsynced; the files of the streams written lately stay open (one write
 * per append on the invoke path, not open + write + close).
 */
import { writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LogEventRecord, LogGroupRecord, LogStore, LogStreamRecord, StoredLogEvent } from '../ports.ts';

const SUFFIX = '.jsonl';
/** Stream files kept open for appending, least recently written closed first. */
const OPEN_FILES = 256;

export class FileLogStore implements LogStore {
  readonly #dir: string;
  readonly #retentionFile: string;
  readonly #queues = new Map<string, Promise<void>>();
  /** Group directories known to exist: a mkdir per append is wasted work on the invoke path. */
  readonly #groupDirs = new Set<string>();
  /** Open stream files by stream key, in order of last write (a Map keeps insertion order). */
  readonly #files = new Map<string, FileHandle>();
  #retention: Map<string, number> | undefined;
  #retentionWrites: Promise<void> = Promise.resolve();

  /** `dir` holds the groups; `retentionFile` the retention policies. */
  constructor(dir: string, retentionFile: string) {
    this.#dir = dir;
    this.#retentionFile = retentionFile;
  }

  append(group: string, stream: string, events: readonly LogEventRecord[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const text = events.map((e) => JSON.stringify({ t: e.timestampMs, m: e.message })).join('\n') + '\n';
    // A synchronous append to the page cache (no fsync) takes microseconds; through the thread
    // pool it took ~0.1 ms of every warm invoke's latency.
    return this.#onStream(group, stream, async (file) => writeWhole(file.fd, Buffer.from(text)));
  }

  /**
   * Creates the stream and opens its file ahead of its first append (a sandbox was just directed at
   * it, as Lambda creates a sandbox's stream at its init), so that the first invocation does not wait
   * for the open. A failure is left for the first append to meet.
   */
  prepare(group: string, stream: string): void {
    this.#onStream(group, stream, async () => undefined).catch(() => undefined);
  }

  /** Runs `work` on the stream's open file, after the work already queued on that stream. */
  #onStream(group: string, stream: string, work: (file: FileHandle) => Promise<void>): Promise<void> {
    const key = `${group}\0${stream}`;
    const next = (this.#queues.get(key) ?? Promise.resolve()).then(async () => {
      const groupDir = this.#groupDir(group);
      if (!this.#groupDirs.has(groupDir)) {
        await mkdir(groupDir, { recursive: true });
        this.#groupDirs.add(groupDir);
      }
      await work(await this.#file(key, group, stream));
    });
    const settled = next.catch(() => undefined);
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return next;
  }

  async groups(): Promise<LogGroupRecord[]> {
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

  async createGroup(group: string): Promise<boolean> {
    await mkdir(this.#dir, { recursive: true });
    try {
      await mkdir(this.#groupDir(group));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  async deleteGroup(group: string): Promise<boolean> {
    const groupDir = this.#groupDir(group);
    if (!(await stat(groupDir).catch(() => undefined))?.isDirectory()) return false;
    await this.#closeFiles((key) => key.startsWith(`${group}\0`));
    await rm(groupDir, { recursive: true, force: true });
    this.#groupDirs.delete(groupDir);
    await this.setRetention(group, undefined);
    return true;
  }

  async deleteStream(group: string, stream: string): Promise<boolean> {
    await this.#closeFiles((key) => key === `${group}\0${stream}`);
    try {
      await unlink(this.#streamFile(group, stream));
      return true;
    } catch {
      return false;
    }
  }

  async streams(group: string): Promise<LogStreamRecord[] | undefined> {
    const groupDir = this.#groupDir(group);
    let names: string[];
    try {
      names = await readdir(groupDir);
    } catch {
      return undefined;
    }
    const files = await Promise.all(
      names
        .filter((n) => n.endsWith(SUFFIX))
        .map(async (n) => {
          const st = await stat(join(groupDir, n)).catch(() => undefined);
          return st && { name: decodeURIComponent(n.slice(0, -SUFFIX.length)), createdMs: st.birthtimeMs, lastWriteMs: st.mtimeMs, storedBytes: st.size };
        }),
    );
    return files.filter((f) => f !== undefined).sort((a, b) => a.createdMs - b.createdMs);
  }

  async read(group: string, stream: string, from = 0): Promise<{ events: StoredLogEvent[]; nextOffset: number }> {
    let buf: Buffer;
    try {
      buf = await readFile(this.#streamFile(group, stream));
    } catch {
      return { events: [], nextOffset: from };
    }
    const events: StoredLogEvent[] = [];
    // an offset inside a line (never handed out) starts at the next line
    let at = from === 0 ? 0 : buf.lastIndexOf(0x0a, from - 1) + 1;
    if (at < from) at = buf.indexOf(0x0a, from) + 1 || buf.length;
    let end = at;
    for (let nl = buf.indexOf(0x0a, at); nl >= 0; at = nl + 1, nl = buf.indexOf(0x0a, at)) {
      end = nl + 1;
      if (nl === at) continue;
      const o = JSON.parse(buf.subarray(at, nl).toString('utf8')) as { t: number; m: string };
      events.push({ timestampMs: o.t, message: o.m, offset: at });
    }
    return { events, nextOffset: Math.max(end, from) };
  }

  async retention(): Promise<ReadonlyMap<string, number>> {
    return this.#loadRetention();
  }

  async setRetention(group: string, days: number | undefined): Promise<void> {
    const map = await this.#loadRetention();
    if (days === undefined) {
      if (!map.delete(group)) return;
    } else map.set(group, days);
    const text = JSON.stringify(Object.fromEntries(map), null, 1);
    const file = this.#retentionFile;
    this.#retentionWrites = this.#retentionWrites.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    });
    await this.#retentionWrites;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#queues.values(), this.#retentionWrites.catch(() => undefined)]);
    await this.#closeFiles(() => true);
  }

  /** The stream's file, open for appending (called inside the stream's queue, so one opener per stream). */
  async #file(key: string, group: string, stream: string): Promise<FileHandle> {
    let file = this.#files.get(key);
    if (file !== undefined) {
      this.#files.delete(key); // most recently written last
    } else {
      file = await open(this.#streamFile(group, stream), 'a');
      if (this.#files.size >= OPEN_FILES) {
        const [oldestKey, oldest] = this.#files.entries().next().value!;
        this.#files.delete(oldestKey);
        // after the appends already queued on that stream
        void (this.#queues.get(oldestKey) ?? Promise.resolve()).then(() => oldest.close()).catch(() => undefined);
      }
    }
    this.#files.set(key, file);
    return file;
  }

  /** Closes the open files of the streams `which` picks, once their queued appends are written. */
  async #closeFiles(which: (key: string) => boolean): Promise<void> {
    const picked = [...this.#files].filter(([key]) => which(key));
    for (const [key] of picked) this.#files.delete(key);
    await Promise.all(picked.map(([key, file]) => (this.#queues.get(key) ?? Promise.resolve()).then(() => file.close()).catch(() => undefined)));
  }

  async #loadRetention(): Promise<Map<string, number>> {
    if (this.#retention) return this.#retention;
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(await readFile(this.#retentionFile, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.#retention ??= new Map(Object.entries(parsed).filter((e): e is [string, number] => Number.isSafeInteger(e[1]) && (e[1] as number) > 0));
    return this.#retention;
  }

  #groupDir(group: string): string {
    return join(this.#dir, encodeURIComponent(group));
  }

  #streamFile(group: string, stream: string): string {
    return join(this.#groupDir(group), `${encodeURIComponent(stream)}${SUFFIX}`);
  }
}

/** Writes all of `bytes` at the end of the file open for appending at `fd`. */
function writeWhole(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}
