/**
 * The storage ports: every durable store and queue of Flint, promise-returning and
 * storage-neutral. Two adapters implement all of them: SQLite (embedded, the all-in-one
 * `flint serve`) under ./sqlite/, and PostgreSQL (a cluster of front ends) under
 * ./postgres/. No component outside those folders imports `node:sqlite` or a Postgres
 * client; one contract suite (./testing/) runs against both.
 *
 * Atomicity: each method is atomic on its own. Several calls that must commit together run
 * inside `Storage.transaction`, on the `Stores` it hands to the callback (never on the outer
 * ones: on PostgreSQL they are another connection).
 */
import type {
  AccountUsage,
  AliasRecord,
  DeadLetter,
  DeadLetterQuery,
  EventSourceMappingRecord,
  MappingState,
  FunctionRecord,
  FunctionUrlConfigRecord,
  FunctionVersionConfig,
  LayerVersionRecord,
  LeasedEvent,
  ListCursor,
  NewAsyncEvent,
  ProvisionedConfigRecord,
  PolicyStatement,
  ProvisionedState,
  PublishedRef,
  NewSqsMessage,
  QueueSnapshot,
  Settlement,
  SqsPurge,
  SqsQueueCounts,
  SqsQueueRecord,
  SqsReceipt,
  SqsReceiveRequest,
  SqsSendOutcome,
  SqsStoredMessage,
  SqsVisibilityChange,
  StoredEventInvokeConfig,
  StoredLayerPolicy,
  StoredPolicy,
  StoredProvisionedConfig,
} from '../model/index.ts';

/** Functions (`functions`) and their versions (`function_versions`: `$LATEST` and published snapshots). */
export interface FunctionStore {
  /** Inserts the function and its `$LATEST` row atomically. False (writing nothing) when the name is taken. */
  insertFunction(record: FunctionRecord, latest: FunctionVersionConfig): Promise<boolean>;
  /** Adds a version row; a published one records the digest of its source. Rejects if it exists. */
  insertVersion(config: FunctionVersionConfig, sourceDigest?: string): Promise<void>;
  /** The newest published version, if any. */
  lastPublished(name: string): Promise<PublishedRef | undefined>;
  /** Hands out the function's next version number (never reused, even after deletions). Undefined when the function is absent. */
  takeVersionNumber(name: string): Promise<number | undefined>;
  /** Deletes one published version with its resource-based policy. Its code key (to release), or undefined when it did not exist. */
  deleteVersion(name: string, version: string): Promise<string | undefined>;
  /** Sets or (undefined) clears the reserved concurrency. False when the function does not exist. */
  setReservedConcurrency(name: string, reserved: number | undefined): Promise<boolean>;
  /** Every function's reserved concurrency. */
  reservations(): Promise<Array<{ readonly name: string; readonly reserved: number }>>;
  getFunction(name: string): Promise<FunctionRecord | undefined>;
  getVersion(name: string, version: string): Promise<FunctionVersionConfig | undefined>;
  /** Every version of one function, `$LATEST` first, then published versions in numeric order. */
  listVersions(name: string): Promise<FunctionVersionConfig[]>;
  /**
   * Reads a version and writes what `change` returns, atomically (the row is locked while
   * `change` runs). `change` may throw (nothing is written, the rejection carries its error) or
   * return its argument (nothing is written). The stored result, or undefined when the row does not exist.
   */
  updateVersion(name: string, version: string, change: (current: FunctionVersionConfig) => FunctionVersionConfig): Promise<FunctionVersionConfig | undefined>;
  /** Functions (their `$LATEST`, or every version) ordered by name then version (`$LATEST` first, then numeric), after `after`. */
  list(options: { readonly after?: ListCursor | undefined; readonly limit: number; readonly allVersions: boolean }): Promise<FunctionVersionConfig[]>;
  /** Deletes the function with its versions, aliases, provisioned, event-invoke and function URL configs and policies. The code keys its versions used (code and layers), or undefined if absent. */
  deleteFunction(name: string): Promise<string[] | undefined>;
  /** Replaces the tag map. False when the function does not exist. */
  setTags(name: string, tags: Readonly<Record<string, string>>): Promise<boolean>;
  /** Whether any version still uses the package, as its code or as one of its layers. */
  isCodeReferenced(sha256Hex: string): Promise<boolean>;
  /** Versions whose State is Pending or LastUpdateStatus InProgress (to settle), with their LastModified. */
  unsettledVersions(): Promise<Array<{ readonly name: string; readonly version: string; readonly lastModifiedMs: number }>>;
  usage(): Promise<AccountUsage>;
}

/**
 * Layer versions (`layers`: one row per layer name with the last version number handed out;
 * `layer_versions`: the published versions, each with its resource-based policy). Version
 * numbers are never reused, even after every version of a layer was deleted.
 */
export interface LayerStore {
  /** Takes the layer's next version number and inserts the version with it, atomically. The stored record. */
  publish(record: Omit<LayerVersionRecord, 'version'>): Promise<LayerVersionRecord>;
  get(layerName: string, version: number): Promise<LayerVersionRecord | undefined>;
  /** Versions of one layer (or, with no name, of every layer), by layer name, then newest version first. */
  list(layerName?: string): Promise<LayerVersionRecord[]>;
  /** Deletes the version with its policy. Its code key (to release), or undefined when it did not exist. */
  delete(layerName: string, version: number): Promise<string | undefined>;
  /** Whether any layer version holds the package. */
  isCodeReferenced(sha256Hex: string): Promise<boolean>;
  getPolicy(layerName: string, version: number): Promise<StoredLayerPolicy | undefined>;
  /**
   * Reads the version's policy and writes what `change` returns, atomically (undefined: no policy; no
   * statements: the policy is removed). `change` may throw (nothing is written). False when the version does not exist.
   */
  updatePolicy(layerName: string, version: number, change: (current: StoredLayerPolicy | undefined) => StoredLayerPolicy): Promise<boolean>;
}

/** Aliases (`function_aliases`); they go with their function. */
export interface AliasStore {
  get(functionName: string, name: string): Promise<AliasRecord | undefined>;
  /** The function's aliases by name. */
  list(functionName: string): Promise<AliasRecord[]>;
  /** False (writing nothing) when the name is taken. */
  insert(alias: AliasRecord): Promise<boolean>;
  /** Replaces an existing alias. False when it does not exist. */
  update(alias: AliasRecord): Promise<boolean>;
  /** Deletes the alias with its provisioned concurrency and function URL configs and its resource-based policy. False when it did not exist. */
  delete(functionName: string, name: string): Promise<boolean>;
}

/**
 * Resource-based policies (`function_policies`), one per function (qualifier `$LATEST`: the
 * unqualified function), published version or alias; they go with what they belong to.
 */
export interface PolicyStore {
  get(functionName: string, qualifier: string): Promise<StoredPolicy | undefined>;
  /** Inserts or replaces the policy's statements; with no statements, deletes the policy. */
  put(functionName: string, qualifier: string, statements: readonly PolicyStatement[]): Promise<void>;
  /** False when there was no such policy. */
  delete(functionName: string, qualifier: string): Promise<boolean>;
}

/** Provisioned concurrency configs as requested, with their allocation state; they go with their function (and alias). */
export interface ProvisionedConfigStore {
  get(functionName: string, qualifier: string): Promise<StoredProvisionedConfig | undefined>;
  /** One function's configs by qualifier, or (no argument) every config by function then qualifier. */
  list(functionName?: string): Promise<StoredProvisionedConfig[]>;
  /** Inserts or replaces the config; its state starts over (IN_PROGRESS, no reason, 0 available). */
  put(record: ProvisionedConfigRecord): Promise<void>;
  /**
   * Sets the allocation state of the config if it still exists and its lastModifiedMs is still
   * `seenLastModifiedMs` (a config put again meanwhile keeps its fresh state). True when set.
   */
  setState(functionName: string, qualifier: string, seenLastModifiedMs: number, state: ProvisionedState): Promise<boolean>;
  /** False when there was no such config. */
  delete(functionName: string, qualifier: string): Promise<boolean>;
  /** Sum of the function's requested provisioned concurrency. */
  total(functionName: string): Promise<number>;
}

/** FunctionEventInvokeConfigs; they go with their function. */
export interface EventInvokeConfigStore {
  get(functionName: string, qualifier: string): Promise<StoredEventInvokeConfig | undefined>;
  /** Qualifiers in ascending order, after `afterQualifier` when given. */
  list(functionName: string, afterQualifier: string | undefined, limit: number): Promise<StoredEventInvokeConfig[]>;
  put(config: StoredEventInvokeConfig): Promise<void>;
  delete(functionName: string, qualifier: string): Promise<boolean>;
}

/**
 * Event source mappings (`event_source_mappings`). They outlive their function, as Lambda's do
 * (DeleteFunction leaves them; they are deleted with DeleteEventSourceMapping).
 */
export interface EventSourceMappingStore {
  get(uuid: string): Promise<EventSourceMappingRecord | undefined>;
  /** Mappings ordered by UUID after `afterUuid`, of one event source and / or one function when given. */
  list(query: { readonly eventSourceArn?: string | undefined; readonly functionName?: string | undefined; readonly afterUuid?: string | undefined; readonly limit: number }): Promise<EventSourceMappingRecord[]>;
  /** Rejects when the UUID exists. */
  insert(record: EventSourceMappingRecord): Promise<void>;
  /** Replaces an existing mapping. False when it does not exist. */
  update(record: EventSourceMappingRecord): Promise<boolean>;
  /**
   * Sets the state (and its reason) if the mapping still exists, still has `seen`'s state and
   * lastModifiedMs (a mapping changed meanwhile keeps its fresh state). True when set.
   */
  setState(seen: Pick<EventSourceMappingRecord, 'uuid' | 'state' | 'lastModifiedMs'>, state: MappingState, reason: string): Promise<boolean>;
  /** False when there was no such mapping. */
  delete(uuid: string): Promise<boolean>;
}

/**
 * Function URL configs, one per function `$LATEST` or alias; they go with their function
 * (and with their alias), and are found by their URL id when a request arrives.
 */
export interface FunctionUrlConfigStore {
  get(functionName: string, qualifier: string): Promise<FunctionUrlConfigRecord | undefined>;
  byUrlId(urlId: string): Promise<FunctionUrlConfigRecord | undefined>;
  /** Qualifiers in ascending order, after `afterQualifier` when given. */
  list(functionName: string, afterQualifier: string | undefined, limit: number): Promise<FunctionUrlConfigRecord[]>;
  /** False (writing nothing) when the function and qualifier have a config already. */
  insert(config: FunctionUrlConfigRecord): Promise<boolean>;
  /** Replaces the settings of an existing config (its URL id and creation time stay). False when there is none. */
  update(config: FunctionUrlConfigRecord): Promise<boolean>;
  /** False when there was no such config. */
  delete(functionName: string, qualifier: string): Promise<boolean>;
}

/**
 * The internal queue of asynchronous events. At-least-once: an event leaves the queue only
 * in the transaction that settles its lease; a lease never settled (its holder died) makes
 * the event ready again when it expires. Any number of processes may take from it at once
 * (PostgreSQL: `FOR UPDATE SKIP LOCKED`); no event is leased to two holders at a time.
 */
/** A lease a poller holds: the event's queue id and the token `take` gave it. */
export type HeldLease = Pick<LeasedEvent, 'id' | 'leaseToken'>;

export interface EventQueue {
  /** Commits the event; once resolved it survives a crash. Its queue id. */
  enqueue(event: NewAsyncEvent, nowMs: number): Promise<number>;
  /** Commits several events in one transaction (group commit), ids in order. */
  enqueueAll(events: readonly NewAsyncEvent[], nowMs: number): Promise<number[]>;
  /** Events ready now (queued and due, or leased with an expired lease) per function that has any, each count capped at `cap`. */
  readyByFunction(nowMs: number, cap: number): Promise<Map<string, number>>;
  /** Leases the oldest ready event of a function for `leaseMs`; undefined when it has none ready. */
  take(functionName: string, nowMs: number, leaseMs: number): Promise<LeasedEvent | undefined>;
  /** Applies a settlement atomically if the lease is still this one; false (changing nothing) when it was lost. */
  settle(event: LeasedEvent, settlement: Settlement, nowMs: number): Promise<boolean>;
  /**
   * Extends to `untilMs` the leases (one statement) that are still the ones given (same event, same
   * token, not settled): a poller renews what it still delivers, so only a dead poller's leases
   * expire. The tokens it renewed; a token missing was lost (expired and taken again, or settled).
   */
  renewLeases(leases: readonly HeldLease[], untilMs: number): Promise<string[]>;
  /** Makes every leased event ready now (all-in-one start-up, when this process is the queue's only user). */
  releaseAllLeases(nowMs: number): Promise<number>;
  /** The earliest future time at which an event becomes ready, if any. */
  nextReadyMs(nowMs: number): Promise<number | undefined>;
  snapshot(nowMs: number): Promise<QueueSnapshot>;
}

/** Events that failed for good with no OnFailure destination: list, inspect, redrive. */
export interface DeadLetterStore {
  list(query: DeadLetterQuery): Promise<DeadLetter[]>;
  get(id: number): Promise<DeadLetter | undefined>;
  /** Moves one letter back to the queue as a fresh event (atomically); the new queue id, or undefined when there is no such letter. */
  redrive(id: number, nowMs: number): Promise<number | undefined>;
  /** Moves every letter (of one function, if given) back to the queue; how many. */
  redriveAll(functionName: string | undefined, nowMs: number): Promise<number>;
}

/** A worker host as registered: what it offers and how it is doing. */
export interface HostRecord {
  readonly id: string;
  /** Base URL of its host API, as front ends reach it. */
  readonly endpoint: string;
  /**
   * The bearer key of this registration, issued by the front end that registered it: every front end
   * sends it on calls to the host API, and the host sends it on heartbeats and code fetches.
   */
  readonly apiKey: string;
  readonly memoryMb: number;
  readonly cpus: number;
  readonly runtimes: readonly string[];
  readonly registeredMs: number;
  readonly heartbeatMs: number;
  /** After this the host takes no new placements and leaves once idle. */
  readonly leaseExpiresMs: number;
  readonly draining: boolean;
  /** What it reported with its last heartbeat. */
  readonly memoryInUseMb: number;
  readonly sandboxes: number;
}

export interface HostStore {
  /** Registers (or re-registers clean, replacing the old row) a host. */
  register(host: HostRecord): Promise<void>;
  /** Records a heartbeat; false when the host is unknown (removed: it must register again). */
  heartbeat(id: string, report: { readonly memoryInUseMb: number; readonly sandboxes: number }, nowMs: number): Promise<boolean>;
  setDraining(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  list(): Promise<HostRecord[]>;
}

/** A front end process of the cluster. */
export interface FrontEndRecord {
  readonly id: string;
  /** Base URL at which other front ends and worker hosts reach it. */
  readonly endpoint: string;
  readonly startedMs: number;
  readonly heartbeatMs: number;
}

export interface FrontEndStore {
  /** Inserts or refreshes this front end's row (its heartbeat). */
  announce(frontEnd: FrontEndRecord): Promise<void>;
  remove(id: string): Promise<void>;
  list(): Promise<FrontEndRecord[]>;
}

/** Join tokens for worker hosts: only a digest of each token is stored. */
export interface JoinTokenStore {
  add(digestHex: string, createdMs: number): Promise<void>;
  has(digestHex: string): Promise<boolean>;
}

/** An access key Flint accepts signatures of: a user's (`flint credentials create`), or a sandbox's execution-role session. */
export interface StoredCredential {
  readonly accessKeyId: string;
  readonly accountId: string;
  /** A user's name; for a session `ROLE/FUNCTION`. */
  readonly name: string;
  /** The identity it signs as (`arn:aws:iam::A:user/NAME`, `arn:aws:sts::A:assumed-role/ROLE/FUNCTION`). */
  readonly arn: string;
  /** The secret access key, encrypted with Flint's master key (never stored in clear). */
  readonly sealedSecret: Buffer;
  /** Temporary credentials only: SHA-256 hex of their session token. */
  readonly sessionTokenDigest: string | undefined;
  readonly createdMs: number;
  /** Temporary credentials only: when they stop being accepted. */
  readonly expiresMs: number | undefined;
}

/** Access keys and their sealed secrets (`credentials`), shared by every front end. */
export interface CredentialStore {
  /** False (writing nothing) when the access key id exists. */
  insert(credential: StoredCredential): Promise<boolean>;
  get(accessKeyId: string): Promise<StoredCredential | undefined>;
  /** Long-term credentials (no session token), by account then name. */
  listUsers(): Promise<StoredCredential[]>;
  /** False when there was none. */
  delete(accessKeyId: string): Promise<boolean>;
  /** Removes temporary credentials that ended at or before `nowMs`; how many. */
  deleteExpired(nowMs: number): Promise<number>;
}

/** Named leases (PostgreSQL: one row per name, taken under a row lock): who may run a singleton job now. */
export interface LeaseStore {
  /** Takes the lease when free or expired, or renews it when `holder` has it, until nowMs + ttlMs. True when `holder` holds it. */
  acquire(name: string, holder: string, nowMs: number, ttlMs: number): Promise<boolean>;
  /** Gives it up if `holder` has it. */
  release(name: string, holder: string): Promise<void>;
}

/**
 * Secrets every front end of a cluster must hold alike (the key that seals code packages, the
 * key front ends prove membership with): the first front end to start creates each one.
 */
export interface ClusterSecretStore {
  /** The stored secret `name`; when there is none yet, `candidate` is stored and returned (the first writer wins). */
  getOrCreate(name: string, candidate: Buffer): Promise<Buffer>;
}

/**
 * Shares of the account's concurrency held by front ends: a front end admits invokes within its
 * share without asking the database, and its share lapses when it stops renewing it.
 */
export interface ConcurrencyShareStore {
  /**
   * Renews `holder`'s share until nowMs + ttlMs at `want`, or at as much as the live shares of the
   * others leave of `limit` (expired shares count for nothing). The share granted.
   */
  claim(holder: string, want: number, limit: number, nowMs: number, ttlMs: number): Promise<number>;
  release(holder: string): Promise<void>;
}

/** What changed about a function: `touched` is anything stored about it (caches drop it); the others are public changes. */
export interface ConfigChange {
  readonly functionName: string;
  readonly kind: 'touched' | 'latest-updated' | 'version-deleted' | 'function-deleted';
  /** `$LATEST` or the deleted version; undefined otherwise. */
  readonly version?: string | undefined;
}

/**
 * The config change feed: every process sharing the storage hears every change within 1 s
 * (SQLite: in-process; PostgreSQL: LISTEN/NOTIFY), its own changes included, in publish order per publisher.
 */
export interface ChangeFeed {
  /** Announces a committed change. */
  publish(change: ConfigChange): Promise<void>;
  /** Unsubscribes when called. */
  subscribe(listener: (change: ConfigChange) => void): () => void;
}

/** The stores, bound to one connection (or one transaction). */
/**
 * The SQS-compatible queues (`sqs_queues`, `sqs_messages`, `sqs_deduplication`). Every method is
 * atomic; `receive` hands a message to one caller only, whichever front end asks (PostgreSQL:
 * `FOR UPDATE SKIP LOCKED`; a FIFO queue's receives take its row lock, so message groups stay in
 * order). Methods about a queue's messages answer undefined when the queue does not exist.
 */
export interface SqsStore {
  /** Creates the queue; when the name is taken, writes nothing and answers the existing queue. */
  createQueue(queue: SqsQueueRecord): Promise<{ readonly created: boolean; readonly queue: SqsQueueRecord }>;
  getQueue(name: string): Promise<SqsQueueRecord | undefined>;
  /** Queues by name (byte order) whose name starts with `prefix`, after `after`, at most `limit`. */
  listQueues(options: { readonly prefix: string; readonly after?: string | undefined; readonly limit: number }): Promise<SqsQueueRecord[]>;
  /** Merges `attributes` into the queue's. False when it does not exist. */
  setAttributes(name: string, attributes: Readonly<Record<string, string>>, nowMs: number): Promise<boolean>;
  /** Replaces the tag map. False when the queue does not exist. */
  setTags(name: string, tags: Readonly<Record<string, string>>): Promise<boolean>;
  /** Deletes the queue with its messages. False when it did not exist. */
  deleteQueue(name: string): Promise<boolean>;
  /** Deletes every message, unless the last purge was less than `minIntervalMs` ago. */
  purge(name: string, nowMs: number, minIntervalMs: number): Promise<SqsPurge>;
  /**
   * Stores messages (all or none). FIFO: a message whose deduplication id was stored less than
   * `deduplicationMs` ago is not stored again (its outcome is the first one's); the others get
   * the queue's next sequence numbers.
   */
  send(name: string, messages: readonly NewSqsMessage[], nowMs: number, deduplicationMs: number): Promise<SqsSendOutcome[] | undefined>;
  /**
   * Hides up to `maxMessages` receivable messages for `visibilityMs` under new receipt tokens,
   * oldest first. FIFO: only from message groups with no message in flight, in group order.
   */
  receive(name: string, request: SqsReceiveRequest): Promise<SqsStoredMessage[] | undefined>;
  /** Deletes a received message; false when the receipt is stale (or the message gone). */
  deleteMessage(name: string, receipt: SqsReceipt): Promise<boolean | undefined>;
  /** Makes a received message visible at `visibleAtMs`: only while it is in flight under that receipt. */
  changeVisibility(name: string, receipt: SqsReceipt, visibleAtMs: number, nowMs: number): Promise<SqsVisibilityChange | undefined>;
  counts(name: string, nowMs: number): Promise<SqsQueueCounts | undefined>;
}

export interface Stores {
  readonly functions: FunctionStore;
  readonly aliases: AliasStore;
  readonly provisioned: ProvisionedConfigStore;
  readonly eventInvokeConfigs: EventInvokeConfigStore;
  readonly functionUrls: FunctionUrlConfigStore;
  readonly eventSourceMappings: EventSourceMappingStore;
  readonly policies: PolicyStore;
  readonly layers: LayerStore;
  readonly queue: EventQueue;
  readonly deadLetters: DeadLetterStore;
  readonly hosts: HostStore;
  readonly frontEnds: FrontEndStore;
  readonly joinTokens: JoinTokenStore;
  readonly credentials: CredentialStore;
  readonly leases: LeaseStore;
  readonly concurrencyShares: ConcurrencyShareStore;
  readonly secrets: ClusterSecretStore;
  readonly sqs: SqsStore;
}

export interface Storage extends Stores {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * Runs `fn` with stores bound to one transaction: it commits when `fn` resolves and rolls back
   * when it rejects (rejecting with `fn`'s error). Transactions do not nest: inside `fn`, use `tx`.
   */
  transaction<T>(fn: (tx: Stores) => Promise<T>): Promise<T>;
  readonly changes: ChangeFeed;
  close(): Promise<void>;
}

/** One log event as a function, its runtime or the platform wrote it. */
export interface LogEventRecord {
  readonly timestampMs: number;
  readonly message: string;
}

/** A stored event and its offset in its stream: stable, and increasing in the order events were appended. */
export interface StoredLogEvent extends LogEventRecord {
  readonly offset: number;
}

export interface LogGroupRecord {
  readonly name: string;
  readonly createdMs: number;
}

export interface LogStreamRecord {
  readonly name: string;
  readonly createdMs: number;
  /** When events were last appended. */
  readonly lastWriteMs: number;
  /** What the stream takes in the store (grows with every append). */
  readonly storedBytes: number;
}

/**
 * Function logs kept as CloudWatch Logs keeps them: groups (`/aws/lambda/NAME`), a stream per
 * sandbox, events in append order, and each group's retention. Not part of `Stores` (no
 * transactions): the all-in-one process keeps them in files (FileLogStore), a cluster in its
 * PostgreSQL database, so that every front end reads what any worker host wrote.
 */
export interface LogStore {
  /** Appends events to a stream (making the group and stream when they do not exist). Appends to one stream are kept in call order. */
  append(group: string, stream: string, events: readonly LogEventRecord[]): Promise<void>;
  /** Optional: gets a stream that is about to be written ready off the invoke path (the file adapter opens its file). Never fails. */
  prepare?(group: string, stream: string): void;
  /** Every group. */
  groups(): Promise<LogGroupRecord[]>;
  /** Post: the group exists. False when it existed already. */
  createGroup(group: string): Promise<boolean>;
  /** Post: neither the group, its streams nor its retention exist. False when there was no group. */
  deleteGroup(group: string): Promise<boolean>;
  /** Post: the stream does not exist. False when there was none. */
  deleteStream(group: string, stream: string): Promise<boolean>;
  /** The streams of a group, oldest first; undefined when the group does not exist. */
  streams(group: string): Promise<LogStreamRecord[] | undefined>;
  /**
   * The events of a stream whose offset is at least `from` (default 0), oldest first, and the offset to
   * read on from (past every event returned; `from` when there is none). [] for a stream that does not exist.
   */
  read(group: string, stream: string, from?: number): Promise<{ events: StoredLogEvent[]; nextOffset: number }>;
  /** Retention in days of every group that has one. */
  retention(): Promise<ReadonlyMap<string, number>>;
  /** Sets or (undefined) removes a group's retention. */
  setRetention(group: string, days: number | undefined): Promise<void>;
  close(): Promise<void>;
}
