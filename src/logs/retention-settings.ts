/**
 * Log groups' retention (PutRetentionPolicy), kept in one small JSON file next to the log
 * groups (`{"<group>": <days>}`), written whole through a temporary file and a rename.
 * Groups without an entry never expire.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The values CloudWatch Logs accepts for `retentionInDays`. */
export const RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const MS_PER_DAY = 24 * 60 * 60 * 1000;

export class RetentionSettings {
  readonly #file: string;
  #days: Map<string, number> | undefined;
  #writes: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
  }

  async get(group: string): Promise<number | undefined> {
    return (await this.#load()).get(group);
  }

  async all(): Promise<ReadonlyMap<string, number>> {
    return this.#load();
  }

  /** `days` undefined removes the group's retention. */
  async set(group: string, days: number | undefined): Promise<void> {
    const map = await this.#load();
    if (days === undefined) {
      if (!map.delete(group)) return;
    } else map.set(group, days);
    const text = JSON.stringify(Object.fromEntries(map), null, 1);
    this.#writes = this.#writes.then(async () => {
      await mkdir(dirname(this.#file), { recursive: true });
      await writeFile(`${this.#file}.tmp`, text);
      await rename(`${this.#file}.tmp`, this.#file);
    });
    await this.#writes;
  }

  async #load(): Promise<Map<string, number>> {
    if (this.#days) return this.#days;
    let parsed: Record<string, number> = {};
    try {
      parsed = JSON.parse(await readFile(this.#file, 'utf8')) as Record<string, number>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.#days ??= new Map(Object.entries(parsed).filter(([, d]) => RETENTION_DAYS.includes(d)));
    return this.#days;
  }
}
