/**
 * Versioned schema migrations, applied in order inside one transaction each.
 * Append only: never edit a migration that has shipped.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'functions and versions',
    sql: `
      CREATE TABLE functions (
        name TEXT PRIMARY KEY,
        created_ms INTEGER NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        reserved_concurrency INTEGER
      ) STRICT;
      CREATE TABLE function_versions (
        function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
        version TEXT NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (function_name, version)
      ) STRICT;
      CREATE TABLE code_blobs (
        sha256_hex TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        created_ms INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'published versions, aliases, provisioned concurrency',
    sql: `
      ALTER TABLE functions ADD COLUMN last_version INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE function_versions ADD COLUMN source_digest TEXT;
      CREATE TABLE function_aliases (
        function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
        name TEXT NOT NULL,
        function_version TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        additional_version TEXT,
        additional_weight REAL,
        revision_id TEXT NOT NULL,
        PRIMARY KEY (function_name, name)
      ) STRICT;
      CREATE TABLE provisioned_concurrency (
        function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
        qualifier TEXT NOT NULL,
        requested INTEGER NOT NULL,
        last_modified_ms INTEGER NOT NULL,
        PRIMARY KEY (function_name, qualifier)
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'async invoke: event queue, dead letters, event invoke configs, counters',
    sql: `
      CREATE TABLE async_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id TEXT NOT NULL,
        function_name TEXT NOT NULL,
        qualifier TEXT,
        payload BLOB NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('invoke', 'destination', 'redrive')),
        accepted_ms INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('Queued', 'Leased')),
        visible_at_ms INTEGER NOT NULL,
        lease_token TEXT,
        invoke_count INTEGER NOT NULL DEFAULT 0,
        function_error_count INTEGER NOT NULL DEFAULT 0,
        last_response TEXT
      ) STRICT;
      CREATE INDEX async_events_by_function ON async_events (function_name);
      CREATE INDEX async_events_by_visibility ON async_events (visible_at_ms, function_name);
      CREATE TABLE async_dead_letters (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id TEXT NOT NULL,
        function_name TEXT NOT NULL,
        qualifier TEXT,
        payload BLOB NOT NULL,
        origin TEXT NOT NULL,
        accepted_ms INTEGER NOT NULL,
        failed_ms INTEGER NOT NULL,
        condition TEXT NOT NULL,
        approximate_invoke_count INTEGER NOT NULL,
        last_response TEXT
      ) STRICT;
      CREATE INDEX async_dead_letters_by_function ON async_dead_letters (function_name);
      CREATE TABLE event_invoke_configs (
        function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
        qualifier TEXT NOT NULL,
        maximum_retry_attempts INTEGER,
        maximum_event_age_seconds INTEGER,
        on_success TEXT,
        on_failure TEXT,
        last_modified_ms INTEGER NOT NULL,
        PRIMARY KEY (function_name, qualifier)
      ) STRICT;
      CREATE TABLE async_counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'async invoke: covering indexes for the pollers',
    sql: `
      DROP INDEX async_events_by_function;
      CREATE INDEX async_events_by_function ON async_events (function_name, id, visible_at_ms);
      CREATE INDEX async_events_ready ON async_events (function_name, visible_at_ms);
    `,
  },
  {
    version: 5,
    name: 'cluster: worker hosts, front ends, join tokens, named leases, concurrency shares',
    sql: `
      CREATE TABLE hosts (
        id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        memory_mb INTEGER NOT NULL,
        cpus REAL NOT NULL,
        runtimes TEXT NOT NULL,
        registered_ms INTEGER NOT NULL,
        heartbeat_ms INTEGER NOT NULL,
        lease_expires_ms INTEGER NOT NULL,
        draining INTEGER NOT NULL DEFAULT 0,
        memory_in_use_mb REAL NOT NULL DEFAULT 0,
        sandboxes INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE front_ends (
        id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        started_ms INTEGER NOT NULL,
        heartbeat_ms INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE join_tokens (
        digest_hex TEXT PRIMARY KEY,
        created_ms INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_ms INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE concurrency_shares (
        holder TEXT PRIMARY KEY,
        share INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 6,
    name: 'cluster: the key of each host registration',
    sql: `
      ALTER TABLE hosts ADD COLUMN api_key TEXT NOT NULL DEFAULT '';
    `,
  },
  {
    version: 7,
    name: 'provisioned concurrency: allocation state, shared by every front end',
    sql: `
      ALTER TABLE provisioned_concurrency ADD COLUMN status TEXT NOT NULL DEFAULT 'IN_PROGRESS';
      ALTER TABLE provisioned_concurrency ADD COLUMN status_reason TEXT;
      ALTER TABLE provisioned_concurrency ADD COLUMN available INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 8,
    name: 'cluster: secrets every front end holds alike',
    sql: `
      CREATE TABLE cluster_secrets (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 9,
    name: 'function URL configs',
    sql: `
      CREATE TABLE function_url_configs (
        function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
        qualifier TEXT NOT NULL,
        url_id TEXT NOT NULL UNIQUE,
        auth_type TEXT NOT NULL,
        cors TEXT,
        invoke_mode TEXT NOT NULL,
        creation_ms INTEGER NOT NULL,
        last_modified_ms INTEGER NOT NULL,
        PRIMARY KEY (function_name, qualifier)
      ) STRICT;
    `,
  },
  {
    version: 10,
    name: 'resource-based policies of functions, versions and aliases',
    sql: `
      CREATE TABLE function_policies (
        function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
        qualifier TEXT NOT NULL,
        statements TEXT NOT NULL,
        PRIMARY KEY (function_name, qualifier)
      ) STRICT;
    `,
  },
  {
    version: 11,
    name: 'SQS-compatible queues: queues, messages, FIFO deduplication',
    sql: `
      CREATE TABLE sqs_queues (
        name TEXT PRIMARY KEY,
        fifo INTEGER NOT NULL,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        last_modified_ms INTEGER NOT NULL,
        last_purge_ms INTEGER,
        last_sequence INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE sqs_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        queue_name TEXT NOT NULL REFERENCES sqs_queues(name) ON DELETE CASCADE,
        message_id TEXT NOT NULL,
        body TEXT NOT NULL,
        message_attributes TEXT NOT NULL,
        md5_of_body TEXT NOT NULL,
        md5_of_message_attributes TEXT,
        sender_id TEXT NOT NULL,
        sent_ms INTEGER NOT NULL,
        visible_at_ms INTEGER NOT NULL,
        receive_count INTEGER NOT NULL DEFAULT 0,
        first_receive_ms INTEGER,
        receipt_token TEXT,
        group_id TEXT,
        deduplication_id TEXT,
        sequence_number TEXT
      ) STRICT;
      CREATE INDEX sqs_messages_by_queue ON sqs_messages (queue_name, visible_at_ms, id);
      CREATE INDEX sqs_messages_in_order ON sqs_messages (queue_name, id);
      CREATE TABLE sqs_deduplication (
        queue_name TEXT NOT NULL REFERENCES sqs_queues(name) ON DELETE CASCADE,
        deduplication_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sequence_number TEXT,
        expires_ms INTEGER NOT NULL,
        PRIMARY KEY (queue_name, deduplication_id)
      ) STRICT;
    `,
  },
  {
    version: 12,
    name: 'event source mappings (no foreign key: they outlive their function, as Lambda\'s do)',
    sql: `
      CREATE TABLE event_source_mappings (
        uuid TEXT PRIMARY KEY,
        event_source_arn TEXT NOT NULL,
        function_name TEXT NOT NULL,
        state TEXT NOT NULL,
        last_modified_ms INTEGER NOT NULL,
        settings TEXT NOT NULL
      ) STRICT;
      CREATE INDEX event_source_mappings_by_source ON event_source_mappings (event_source_arn);
      CREATE INDEX event_source_mappings_by_function ON event_source_mappings (function_name);
    `,
  },
  {
    version: 13,
    name: 'auth: access keys (users and execution-role sessions), secrets sealed with the master key',
    sql: `
      CREATE TABLE credentials (
        access_key_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        arn TEXT NOT NULL,
        sealed_secret BLOB NOT NULL,
        session_token_digest TEXT,
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER
      ) STRICT;
      CREATE INDEX credentials_expiry ON credentials (expires_ms) WHERE expires_ms IS NOT NULL;
    `,
  },
  {
    version: 14,
    name: 'layers: layer versions and their policies',
    sql: `
      CREATE TABLE layers (
        name TEXT PRIMARY KEY,
        last_version INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE layer_versions (
        layer_name TEXT NOT NULL REFERENCES layers(name),
        version INTEGER NOT NULL,
        record TEXT NOT NULL,
        code_sha256_hex TEXT NOT NULL,
        policy TEXT,
        PRIMARY KEY (layer_name, version)
      ) STRICT;
      CREATE INDEX layer_versions_code ON layer_versions (code_sha256_hex);
    `,
  },
];
