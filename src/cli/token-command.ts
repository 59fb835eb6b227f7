import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { newJoinToken, tokenDigest } from '../cluster/index.ts';
import { openPostgresStorage, openSqliteStorage, type Storage } from '../storage/index.ts';

const HELP = `Usage: flint token create [--data-dir DIR | --database URL]

Creates a join token for worker hosts (\`flint worker --join URL --token TOKEN\`) and prints it as
its last line. Only its SHA-256 digest is stored, in the cluster's database: the embedded one of
the data directory (--data-dir, default FLINT_DATA_DIR or .flint), or the one at --database
(default FLINT_DATABASE_URL).
There is no default token.
`;

/** `flint token create`: the one CLI command that opens the cluster's storage itself (a token must exist before any front end or worker trusts it). */
export async function tokenCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' }, database: { type: 'string' }, help: { type: 'boolean' } } });
  if (sub !== 'create' || values.help) {
    process.stdout.write(HELP);
    return sub === 'create' || sub === '--help' ? 0 : 2;
  }
  const database = values.database ?? env.FLINT_DATABASE_URL;
  let storage: Storage;
  if (database !== undefined && /^postgres(ql)?:\/\//.test(database)) {
    storage = await openPostgresStorage(database);
  } else if (database !== undefined) {
    storage = openSqliteStorage(database.replace(/^sqlite:/, ''));
  } else {
    const dataDir = resolve(values['data-dir'] ?? env.FLINT_DATA_DIR ?? '.flint');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    storage = openSqliteStorage(join(dataDir, 'flint.db'));
  }
  try {
    const token = newJoinToken();
    await storage.joinTokens.add(tokenDigest(token), Date.now());
    process.stdout.write(`Join token created (shown once; only its digest is stored):\n${token}\n`);
    return 0;
  } finally {
    await storage.close();
  }
}
