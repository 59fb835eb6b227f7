/**
 * The SQLite adapter: every store of ports.ts over one embedded database (node:sqlite, WAL),
 * the default of the all-in-one `flint serve`. The connection is synchronous and shared by the
 * whole process; `transaction` holds it through the TransactionGate (transaction-gate.ts), so
 * statements of other requests never run inside an open transaction.
 */
import type {
  AliasStore,
  ClusterSecretStore,
  ConcurrencyShareStore,
  DeadLetterStore,
  EventInvokeConfigStore,
  EventQueue,
  EventSourceMappingStore,
  CredentialStore,
  FrontEndStore,
  FunctionStore,
  FunctionUrlConfigStore,
  HostStore,
  JoinTokenStore,
  LeaseStore,
  LayerStore,
  PolicyStore,
  ProvisionedConfigStore,
  SqsStore,
  Storage,
  Stores,
} from '../ports.ts';
import { openDatabase, type Database } from './database.ts';
import { InProcessChangeFeed } from './in-process-change-feed.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';
import { SqliteAliasStore } from './sqlite-alias-store.ts';
import { SqliteClusterSecretStore } from './sqlite-cluster-secret-store.ts';
import { SqliteConcurrencyShareStore } from './sqlite-concurrency-share-store.ts';
import { SqliteDeadLetterStore } from './sqlite-dead-letter-store.ts';
import { SqliteFunctionUrlStore } from './sqlite-function-url-store.ts';
import { SqliteEventInvokeConfigStore } from './sqlite-event-invoke-config-store.ts';
import { SqliteEventQueue } from './sqlite-event-queue.ts';
import { SqliteEventSourceMappingStore } from './sqlite-event-source-mapping-store.ts';
import { SqliteCredentialStore } from './sqlite-credential-store.ts';
import { SqliteFrontEndStore } from './sqlite-front-end-store.ts';
import { SqliteFunctionStore } from './sqlite-function-store.ts';
import { SqliteHostStore } from './sqlite-host-store.ts';
import { SqliteJoinTokenStore } from './sqlite-join-token-store.ts';
import { SqliteLeaseStore } from './sqlite-lease-store.ts';
import { SqliteLayerStore } from './sqlite-layer-store.ts';
import { SqlitePolicyStore } from './sqlite-policy-store.ts';
import { SqliteProvisionedConfigStore } from './sqlite-provisioned-config-store.ts';
import { SqliteSqsStore } from './sqlite-sqs-store.ts';
import { asPort } from './synchronous-port.ts';
import { settle, TransactionGate, type Runner } from './transaction-gate.ts';

export interface SqliteStorageOptions {
  /** The schema to bring the database to (tests use a table of their own); Flint's by default. */
  readonly migrations?: readonly Migration[];
}

/** Opens (creating and migrating if needed) the database at `path` (`:memory:` for a private one). */
export function openSqliteStorage(path: string, options: SqliteStorageOptions = {}): Storage {
  const db = openDatabase(path, options.migrations ?? MIGRATIONS);
  const gate = new TransactionGate();
  const bind = storesOver(db);
  const changes = new InProcessChangeFeed();
  let closed = false;
  return {
    engine: 'sqlite',
    ...bind(gate.run),
    changes,
    transaction: <T>(fn: (tx: Stores) => Promise<T>): Promise<T> =>
      gate.exclusive(async () => {
        let open = true;
        const run: Runner = (statement) => (open ? settle(statement) : Promise.reject(new Error('a transaction\'s stores were used after it ended')));
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(bind(run));
          open = false;
          db.exec('COMMIT');
          return result;
        } catch (err) {
          open = false;
          if (db.isTransaction) db.exec('ROLLBACK');
          throw err;
        }
      }),
    async close() {
      if (closed) return;
      closed = true;
      await gate.idle();
      db.close();
    },
  };
}

/** The stores over `db`, each statement going through the runner given. */
function storesOver(db: Database): (run: Runner) => Stores {
  const functions = new SqliteFunctionStore(db);
  const aliases = new SqliteAliasStore(db);
  const provisioned = new SqliteProvisionedConfigStore(db);
  const eventInvokeConfigs = new SqliteEventInvokeConfigStore(db);
  const functionUrls = new SqliteFunctionUrlStore(db);
  const policies = new SqlitePolicyStore(db);
  const eventSourceMappings = new SqliteEventSourceMappingStore(db);
  const layers = new SqliteLayerStore(db);
  const queue = new SqliteEventQueue(db);
  const deadLetters = new SqliteDeadLetterStore(db);
  const hosts = new SqliteHostStore(db);
  const frontEnds = new SqliteFrontEndStore(db);
  const credentials = new SqliteCredentialStore(db);
  const joinTokens = new SqliteJoinTokenStore(db);
  const leases = new SqliteLeaseStore(db);
  const concurrencyShares = new SqliteConcurrencyShareStore(db);
  const secrets = new SqliteClusterSecretStore(db);
  const sqs = new SqliteSqsStore(db);
  return (run) => ({
    functions: asPort<FunctionStore>(functions, run),
    aliases: asPort<AliasStore>(aliases, run),
    provisioned: asPort<ProvisionedConfigStore>(provisioned, run),
    eventInvokeConfigs: asPort<EventInvokeConfigStore>(eventInvokeConfigs, run),
    functionUrls: asPort<FunctionUrlConfigStore>(functionUrls, run),
    policies: asPort<PolicyStore>(policies, run),
    eventSourceMappings: asPort<EventSourceMappingStore>(eventSourceMappings, run),
    layers: asPort<LayerStore>(layers, run),
    queue: asPort<EventQueue>(queue, run),
    deadLetters: asPort<DeadLetterStore>(deadLetters, run),
    hosts: asPort<HostStore>(hosts, run),
    frontEnds: asPort<FrontEndStore>(frontEnds, run),
    credentials: asPort<CredentialStore>(credentials, run),
    joinTokens: asPort<JoinTokenStore>(joinTokens, run),
    leases: asPort<LeaseStore>(leases, run),
    concurrencyShares: asPort<ConcurrencyShareStore>(concurrencyShares, run),
    secrets: asPort<ClusterSecretStore>(secrets, run),
    sqs: asPort<SqsStore>(sqs, run),
  });
}
