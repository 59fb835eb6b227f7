/**
 * The PostgreSQL schema: its own versioned list (append only: never edit a migration that has
 * shipped), applied in order, one transaction each, under an advisory lock so that front ends
 * starting at once never race (the first creates everything, the others find it done).
 */
import pg from 'pg';
import { TYPES } from './sql.ts';

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Key of the advisory lock held while migrating ("flint" + "schema" in ASCII, any stable bigint). */
const MIGRATION_LOCK = 0x666c696e74_5343n;

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'functions, versions, aliases, provisioned and event-invoke configs',
    sql: `
      CREATE TABLE functions (
        name text COLLATE "C" PRIMARY KEY,
        created_ms bigint NOT NULL,
        tags json NOT NULL DEFAULT '{}',
        reserved_concurrency integer,
        last_version integer NOT NULL DEFAULT 0
      );
      CREATE TABLE function_versions (
        function_name text COLLATE "C" NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
        version text COLLATE "C" NOT NULL,
        config json NOT NULL,
        source_digest text,
        version_order integer NOT NULL GENERATED ALWAYS AS (CASE WHEN version = '$LATEST' THEN -1 ELSE version::integer END) STORED,
        PRIMARY KEY (function_name, version)
      );
      CREATE INDEX function_versions_order ON function_versions (function_name, version_order);
      CREATE INDEX function_versions_code ON function_versions ((config->>'codeSha256Hex'));
      CREATE TABLE function_aliases (
        function_name text COLLATE "C" NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
        name text COLLATE "C" NOT NULL,
        function_version text NOT NULL,
        description text NOT NULL DEFAULT '',
        additional_version text,
        additional_weight double precision,
        revision_id text NOT NULL,
        PRIMARY KEY (function_name, name)
      );
      CREATE TABLE provisioned_concurrency (
        function_name text COLLATE "C" NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
        qualifier text COLLATE "C" NOT NULL,
        requested integer NOT NULL,
        last_modified_ms bigint NOT NULL,
        PRIMARY KEY (function_name, qualifier)
      );
      CREATE TABLE event_invoke_configs (
        function_name text COLLATE "C" NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
        qualifier text COLLATE "C" NOT NULL,
        maximum_retry_attempts integer,
        maximum_event_age_seconds integer,
        on_success text,
        on_failure text,
        last_modified_ms bigint NOT NULL,
        PRIMARY KEY (function_name, qualifier)
      );
    `,
  },
  {
    version: 2,
    name: 'async invoke: event queue, dead letters, counters',
    sql: `
      CREATE TABLE async_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id text NOT NULL,
        function_name text COLLATE "C" NOT NULL,
        qualifier text COLLATE "C",
        payload bytea NOT NULL,
        origin text NOT NULL CHECK (origin IN ('invoke', 'destination', 'redrive')),
        accepted_ms bigint NOT NULL,
        state text NOT NULL CHECK (state IN ('Queued', 'Leased')),
        visible_at_ms bigint NOT NULL,
        lease_token text,
        invoke_count integer NOT NULL DEFAULT 0,
        function_error_count integer NOT NULL DEFAULT 0,
        last_response json
      );
      CREATE INDEX async_events_by_function ON async_events (function_name, id);
      CREATE INDEX async_events_ready ON async_events (function_name, visible_at_ms);
      CREATE INDEX async_events_by_visibility ON async_events (visible_at_ms);
      CREATE TABLE async_dead_letters (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id text NOT NULL,
        function_name text COLLATE "C" NOT NULL,
        qualifier text COLLATE "C",
        payload bytea NOT NULL,
        origin text NOT NULL,
        accepted_ms bigint NOT NULL,
        failed_ms bigint NOT NULL,
        condition text NOT NULL,
        approximate_invoke_count integer NOT NULL,
        last_response json
      );
      CREATE INDEX async_dead_letters_by_function ON async_dead_letters (function_name, id);
      CREATE TABLE async_counters (
        name text COLLATE "C" PRIMARY KEY,
        value bigint NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'cluster: hosts, front ends, join tokens, leases, concurrency shares',
    sql: `
      CREATE TABLE hosts (
        id text COLLATE "C" PRIMARY KEY,
        endpoint text NOT NULL,
        memory_mb integer NOT NULL,
        cpus double precision NOT NULL,
        runtimes text[] NOT NULL,
        registered_ms bigint NOT NULL,
        heartbeat_ms bigint NOT NULL,
        lease_expires_ms bigint NOT NULL,
        draining boolean NOT NULL DEFAULT false,
        memory_in_use_mb integer NOT NULL DEFAULT 0,
        sandboxes integer NOT NULL DEFAULT 0
      );
      CREATE TABLE front_ends (
        id text COLLATE "C" PRIMARY KEY,
        endpoint text NOT NULL,
        started_ms bigint NOT NULL,
        heartbeat_ms bigint NOT NULL
      );
      CREATE TABLE join_tokens (
        digest_hex text PRIMARY KEY,
        created_ms bigint NOT NULL
      );
      CREATE TABLE leases (
        name text COLLATE "C" PRIMARY KEY,
        holder text COLLATE "C" NOT NULL,
        expires_ms bigint NOT NULL
      );
      -- One row, locked by every claim: claims run one at a time, so their sum never passes the limit.
      CREATE TABLE concurrency_pool (id integer PRIMARY KEY CHECK (id = 1));
      INSERT INTO concurrency_pool (id) VALUES (1);
      CREATE TABLE concurrency_shares (
        holder text COLLATE "C" PRIMARY KEY,
        share integer NOT NULL,
        expires_ms bigint NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'code store: sealed deployment packages',
    sql: `
      CREATE TABLE code_blobs (
        sha256_hex text PRIMARY KEY,
        size bigint NOT NULL,
        sealed bytea NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'hosts: the key front ends and the host use between them',
    sql: `ALTER TABLE hosts ADD COLUMN api_key text NOT NULL DEFAULT '';`,
  },
  {
    version: 6,
    name: 'provisioned concurrency: allocation state, shared by every front end',
    sql: `
      ALTER TABLE provisioned_concurrency ADD COLUMN status text NOT NULL DEFAULT 'IN_PROGRESS';
      ALTER TABLE provisioned_concurrency ADD COLUMN status_reason text;
      ALTER TABLE provisioned_concurrency ADD COLUMN available integer NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 7,
    name: 'cluster: secrets every front end holds alike',
    sql: `CREATE TABLE cluster_secrets (name text PRIMARY KEY, value bytea NOT NULL);`,
  },
  {
    version: 8,
    name: 'function URL configs',
    sql: `
      CREATE TABLE function_url_configs (
        function_name text COLLATE "C" NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
        qualifier text COLLATE "C" NOT NULL,
        url_id text NOT NULL UNIQUE,
        auth_type text NOT NULL,
        cors text,
        invoke_mode text NOT NULL,
        creation_ms bigint NOT NULL,
        last_modified_ms bigint NOT NULL,
        PRIMARY KEY (function_name, qualifier)
      );
    `,
  },
  {
    version: 9,
    name: 'resource-based policies of functions, versions and aliases',
    sql: `
      CREATE TABLE function_policies (
        function_name text COLLATE "C" NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
        qualifier text COLLATE "C" NOT NULL,
        statements json NOT NULL,
        PRIMARY KEY (function_name, qualifier)
      );
    `,
  },
  {
    version: 10,
    name: 'function logs: groups (with retention), streams, events',
    sql: `
      CREATE TABLE log_groups (
        name text COLLATE "C" PRIMARY KEY,
        created_ms bigint NOT NULL,
        retention_days integer
      );
      CREATE TABLE log_streams (
        id bigserial PRIMARY KEY,
        group_name text COLLATE "C" NOT NULL REFERENCES log_groups(name) ON DELETE CASCADE,
        name text COLLATE "C" NOT NULL,
        created_ms bigint NOT NULL,
        last_write_ms bigint NOT NULL,
        stored_bytes bigint NOT NULL DEFAULT 0,
        next_offset bigint NOT NULL DEFAULT 0,
        UNIQUE (group_name, name)
      );
      CREATE TABLE log_events (
        stream_id bigint NOT NULL REFERENCES log_streams(id) ON DELETE CASCADE,
        event_offset bigint NOT NULL,
        timestamp_ms bigint NOT NULL,
        message text NOT NULL,
        PRIMARY KEY (stream_id, event_offset)
      );
    `,
  },
  {
    version: 11,
    name: 'SQS-compatible queues: queues, messages, FIFO deduplication',
    sql: `
      CREATE TABLE sqs_queues (
        name text COLLATE "C" PRIMARY KEY,
        fifo boolean NOT NULL,
        attributes json NOT NULL,
        tags json NOT NULL,
        created_ms bigint NOT NULL,
        last_modified_ms bigint NOT NULL,
        last_purge_ms bigint,
        last_sequence bigint NOT NULL DEFAULT 0
      );
      CREATE TABLE sqs_messages (
        id bigserial PRIMARY KEY,
        queue_name text COLLATE "C" NOT NULL REFERENCES sqs_queues(name) ON DELETE CASCADE,
        message_id text NOT NULL,
        body text NOT NULL,
        message_attributes json NOT NULL,
        md5_of_body text NOT NULL,
        md5_of_message_attributes text,
        sender_id text NOT NULL,
        sent_ms bigint NOT NULL,
        visible_at_ms bigint NOT NULL,
        receive_count integer NOT NULL DEFAULT 0,
        first_receive_ms bigint,
        receipt_token text,
        group_id text,
        deduplication_id text,
        sequence_number text
      );
      CREATE INDEX sqs_messages_by_queue ON sqs_messages (queue_name, visible_at_ms, id);
      CREATE INDEX sqs_messages_in_order ON sqs_messages (queue_name, id);
      CREATE TABLE sqs_deduplication (
        queue_name text COLLATE "C" NOT NULL REFERENCES sqs_queues(name) ON DELETE CASCADE,
        deduplication_id text NOT NULL,
        message_id text NOT NULL,
        sequence_number text,
        expires_ms bigint NOT NULL,
        PRIMARY KEY (queue_name, deduplication_id)
      );
    `,
  },
  {
    version: 12,
    name: 'event source mappings (no foreign key: they outlive their function, as Lambda\'s do)',
    sql: `
      CREATE TABLE event_source_mappings (
        uuid text COLLATE "C" PRIMARY KEY,
        event_source_arn text COLLATE "C" NOT NULL,
        function_name text COLLATE "C" NOT NULL,
        state text NOT NULL,
        last_modified_ms bigint NOT NULL,
        settings text NOT NULL
      );
      CREATE INDEX event_source_mappings_by_source ON event_source_mappings (event_source_arn);
      CREATE INDEX event_source_mappings_by_function ON event_source_mappings (function_name);
    `,
  },
  {
    version: 13,
    name: 'auth: access keys (users and execution-role sessions), secrets sealed with the master key',
    sql: `
      CREATE TABLE credentials (
        access_key_id text COLLATE "C" PRIMARY KEY,
        account_id text NOT NULL,
        name text NOT NULL,
        arn text NOT NULL,
        sealed_secret bytea NOT NULL,
        session_token_digest text,
        created_ms bigint NOT NULL,
        expires_ms bigint
      );
      CREATE INDEX credentials_expiry ON credentials (expires_ms) WHERE expires_ms IS NOT NULL;
    `,
  },
  {
    version: 14,
    name: 'layers: layer versions and their policies',
    sql: `
      CREATE TABLE layers (
        name text COLLATE "C" PRIMARY KEY,
        last_version integer NOT NULL DEFAULT 0
      );
      CREATE TABLE layer_versions (
        layer_name text COLLATE "C" NOT NULL REFERENCES layers(name),
        version integer NOT NULL,
        record json NOT NULL,
        code_sha256_hex text NOT NULL,
        policy json,
        PRIMARY KEY (layer_name, version)
      );
      CREATE INDEX layer_versions_code ON layer_versions (code_sha256_hex);
    `,
  },
];

/** Applies the migrations this database lacks. */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_ms bigint NOT NULL)');
      const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      for (const m of MIGRATIONS) {
        if (applied.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}

/**
 * A pool on `url` for one of the adapter's parts, its schema migrated (ended again when migrating
 * fails). An idle client whose connection dies is dropped by the pool; the listener keeps that
 * error from ending the process.
 */
export async function openMigratedPool(url: string, applicationName: string, max: number): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, types: TYPES, application_name: applicationName, max });
  pool.on('error', () => undefined);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return pool;
}
