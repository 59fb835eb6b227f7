/** What the logs API needs from the log store (storage's LogStore: files all-in-one, PostgreSQL in a cluster). */

export interface LogGroupEntry {
  readonly name: string;
  readonly createdMs: number;
}

export interface LogStreamEntry {
  readonly name: string;
  readonly createdMs: number;
  readonly lastWriteMs: number;
  readonly storedBytes: number;
}

export interface StoredEvent {
  readonly timestampMs: number;
  readonly message: string;
  /** Offset of the event in its stream: stable, increasing. */
  readonly offset: number;
}

export interface LogGroupStorage {
  /** Every group. */
  groups(): Promise<LogGroupEntry[]>;
  /** Post: the group exists. False when it existed already. */
  createGroup(group: string): Promise<boolean>;
  /** Post: neither the group, its streams nor its retention exist. False when there was no group. */
  deleteGroup(group: string): Promise<boolean>;
  /** Post: the stream does not exist. False when there was none. */
  deleteStream(group: string, stream: string): Promise<boolean>;
  /** The streams of a group, or undefined when the group does not exist. */
  streams(group: string): Promise<LogStreamEntry[] | undefined>;
  /** The events of a stream from offset `from` on (every one by default), oldest first. */
  read(group: string, stream: string, from?: number): Promise<{ events: StoredEvent[] }>;
  /** Retention in days of every group that has one. */
  retention(): Promise<ReadonlyMap<string, number>>;
  /** Sets or (undefined) removes a group's retention. */
  setRetention(group: string, days: number | undefined): Promise<void>;
}
