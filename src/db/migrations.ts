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
];
