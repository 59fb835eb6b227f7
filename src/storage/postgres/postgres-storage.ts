/**
 * The PostgreSQL adapter of the storage ports, for a cluster of front ends sharing one
 * database: a connection pool for the stores, one pooled client per `transaction`, and a
 * dedicated connection for the change feed. Opening applies the schema's migrations (under an
 * advisory lock: front ends may start at once).
 */
import pg from 'pg';
import type { Storage, Stores } from '../ports.ts';
import { PostgresAliasStore } from './alias-store.ts';
import { PostgresChangeFeed } from './change-feed.ts';
import { PostgresClusterSecretStore } from './cluster-secret-store.ts';
import { PostgresConcurrencyShareStore } from './concurrency-share-store.ts';
import { PostgresDeadLetterStore } from './dead-letter-store.ts';
import { PostgresFunctionUrlStore } from './function-url-store.ts';
import { PostgresEventInvokeConfigStore } from './event-invoke-config-store.ts';
import { PostgresEventQueue } from './event-queue.ts';
import { PostgresEventSourceMappingStore } from './event-source-mapping-store.ts';
import { PostgresCredentialStore } from './credential-store.ts';
import { PostgresFrontEndStore } from './front-end-store.ts';
import { PostgresFunctionStore } from './function-store.ts';
import { PostgresHostStore } from './host-store.ts';
import { PostgresJoinTokenStore } from './join-token-store.ts';
import { PostgresLeaseStore } from './lease-store.ts';
import { migrate } from './migrations.ts';
import { PostgresLayerStore } from './layer-store.ts';
import { PostgresPolicyStore } from './policy-store.ts';
import { PostgresProvisionedConfigStore } from './provisioned-config-store.ts';
import { PostgresSqsStore } from './sqs-store.ts';
import { inTransaction, PoolSql, TransactionSql, TYPES, type Sql } from './sql.ts';

/** Connections per front end: pollers, API requests and transactions share them. */
const POOL_SIZE = 10;

/** Opens (and migrates) the database at `url` (`postgres://user[:password]@host:port/db`). */
export async function openPostgresStorage(url: string): Promise<Storage> {
  const config: pg.ClientConfig = { connectionString: url, types: TYPES, application_name: 'flint' };
  const pool = new pg.Pool({ ...config, max: POOL_SIZE });
  // An idle client whose connection dies is dropped by the pool; without a listener the error would end the process.
  pool.on('error', () => undefined);
  try {
    await migrate(pool);
    const changes = await PostgresChangeFeed.open(pool, config);
    return new PostgresStorage(pool, changes);
  } catch (err) {
    await pool.end();
    throw err;
  }
}

/** Every store bound to `sql` (the pool, or one transaction's client). */
function storesOn(sql: Sql): Stores {
  return {
    functions: new PostgresFunctionStore(sql),
    aliases: new PostgresAliasStore(sql),
    provisioned: new PostgresProvisionedConfigStore(sql),
    eventInvokeConfigs: new PostgresEventInvokeConfigStore(sql),
    functionUrls: new PostgresFunctionUrlStore(sql),
    policies: new PostgresPolicyStore(sql),
    eventSourceMappings: new PostgresEventSourceMappingStore(sql),
    layers: new PostgresLayerStore(sql),
    queue: new PostgresEventQueue(sql),
    deadLetters: new PostgresDeadLetterStore(sql),
    hosts: new PostgresHostStore(sql),
    frontEnds: new PostgresFrontEndStore(sql),
    credentials: new PostgresCredentialStore(sql),
    joinTokens: new PostgresJoinTokenStore(sql),
    leases: new PostgresLeaseStore(sql),
    concurrencyShares: new PostgresConcurrencyShareStore(sql),
    secrets: new PostgresClusterSecretStore(sql),
    sqs: new PostgresSqsStore(sql),
  };
}

class PostgresStorage implements Storage {
  readonly engine = 'postgres';
  readonly functions;
  readonly aliases;
  readonly provisioned;
  readonly eventInvokeConfigs;
  readonly functionUrls;
  readonly policies;
  readonly eventSourceMappings;
  readonly layers;
  readonly queue;
  readonly deadLetters;
  readonly hosts;
  readonly frontEnds;
  readonly credentials;
  readonly joinTokens;
  readonly leases;
  readonly concurrencyShares;
  readonly secrets;
  readonly sqs;
  readonly changes: PostgresChangeFeed;
  readonly #pool: pg.Pool;
  #closed: Promise<void> | undefined;

  constructor(pool: pg.Pool, changes: PostgresChangeFeed) {
    const stores = storesOn(new PoolSql(pool));
    this.functions = stores.functions;
    this.aliases = stores.aliases;
    this.provisioned = stores.provisioned;
    this.eventInvokeConfigs = stores.eventInvokeConfigs;
    this.functionUrls = stores.functionUrls;
    this.policies = stores.policies;
    this.eventSourceMappings = stores.eventSourceMappings;
    this.layers = stores.layers;
    this.queue = stores.queue;
    this.deadLetters = stores.deadLetters;
    this.hosts = stores.hosts;
    this.frontEnds = stores.frontEnds;
    this.credentials = stores.credentials;
    this.joinTokens = stores.joinTokens;
    this.leases = stores.leases;
    this.concurrencyShares = stores.concurrencyShares;
    this.secrets = stores.secrets;
    this.sqs = stores.sqs;
    this.changes = changes;
    this.#pool = pool;
  }

  transaction<T>(fn: (tx: Stores) => Promise<T>): Promise<T> {
    return inTransaction(this.#pool, (client) => fn(storesOn(new TransactionSql(client))));
  }

  /** Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.changes.close().then(() => this.#pool.end());
    return this.#closed;
  }
}
