/** What the logs API needs from the log store (the worker host's FileLogStore implements it). */

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
  /** Byte offset of the event in its stream: stable, increasing. */
  readonly offset: number;
}

export interface LogGroupStorage {
  /** Every group. */
  groups(): Promise<LogGroupEntry[]>;
  /** Post: the group exists. False when it existed already. */
  createGroup(group: string): Promise<boolean>;
  /** Post: neither the group nor its streams exist. False when there was no group. */
  deleteGroup(group: string): Promise<boolean>;
  /** Post: the stream does not exist. False when there was none. */
  deleteStream(group: string, stream: string): Promise<boolean>;
  /** The streams of a group, or undefined when the group does not exist. */
  streamFiles(group: string): Promise<LogStreamEntry[] | undefined>;
  /** Every event of a stream, oldest first. */
  scan(group: string, stream: string): Promise<StoredEvent[]>;
}
