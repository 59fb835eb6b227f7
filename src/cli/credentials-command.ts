import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { newAccessKeyId, newSecretAccessKey, SecretSeal, userArn } from '../auth/index.ts';
import { loadOrCreateMasterKey, MASTER_KEY_BYTES } from '../code-store/index.ts';
import { openPostgresStorage, openSqliteStorage, type Storage } from '../storage/index.ts';

const HELP = `Usage: flint credentials create --name NAME [--account-id ID] [--data-dir DIR | --database URL]
       flint credentials list [--data-dir DIR | --database URL]
       flint credentials delete ACCESS_KEY_ID [--data-dir DIR | --database URL]

Access keys Flint accepts with --auth sigv4 (docs/auth.md), besides the root credential of
FLINT_ROOT_ACCESS_KEY_ID / FLINT_ROOT_SECRET_ACCESS_KEY. Each belongs to an account (default
FLINT_ACCOUNT_ID or 000000000000) and signs as arn:aws:iam::ACCOUNT:user/NAME; a key of another
account than Flint's acts on a function only where its resource-based policy allows it.
\`create\` prints the secret access key once; it is stored encrypted with Flint's master key.
Storage: the embedded database of the data directory (--data-dir, default FLINT_DATA_DIR or .flint),
or the cluster's at --database (default FLINT_DATABASE_URL).
`;

const NAME = /^[\w+=,.@-]{1,64}$/;

/** `flint credentials`: like `flint token create`, it opens the storage itself (a key must exist before any request can be signed with it). */
export async function credentialsCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, database: { type: 'string' }, name: { type: 'string' }, 'account-id': { type: 'string' }, help: { type: 'boolean' } },
  });
  if (!['create', 'list', 'delete'].includes(sub ?? '') || values.help) {
    process.stdout.write(HELP);
    return sub === '--help' || values.help ? 0 : 2;
  }
  const accountId = values['account-id'] ?? env.FLINT_ACCOUNT_ID ?? '000000000000';
  if (sub === 'create' && (values.name === undefined || !NAME.test(values.name))) return usage('create needs --name NAME (1-64 letters, digits and +=,.@_-)');
  if (sub === 'create' && !/^\d{12}$/.test(accountId)) return usage('--account-id must be 12 digits');
  if (sub === 'delete' && positionals[0] === undefined) return usage('delete needs the ACCESS_KEY_ID');
  const { storage, masterKey } = await openStorage(values['data-dir'], values.database, env);
  try {
    if (sub === 'list') {
      const rows = await storage.credentials.listUsers();
      process.stdout.write(`${'ACCESS KEY ID'.padEnd(22)} ${'ACCOUNT'.padEnd(12)} ${'CREATED'.padEnd(24)} NAME\n`);
      for (const c of rows) process.stdout.write(`${c.accessKeyId.padEnd(22)} ${c.accountId.padEnd(12)} ${new Date(c.createdMs).toISOString().padEnd(24)} ${c.name}\n`);
      return 0;
    }
    if (sub === 'delete') {
      const deleted = await storage.credentials.delete(positionals[0]!);
      process.stdout.write(deleted ? `Deleted ${positionals[0]}\n` : `No credential ${positionals[0]}\n`);
      return deleted ? 0 : 1;
    }
    const seal = new SecretSeal(masterKey);
    for (;;) {
      const accessKeyId = newAccessKeyId('long-term');
      const secret = newSecretAccessKey();
      const arn = userArn(accountId, values.name!);
      const inserted = await storage.credentials.insert({ accessKeyId, accountId, name: values.name!, arn, sealedSecret: seal.seal(accessKeyId, secret), sessionTokenDigest: undefined, createdMs: Date.now(), expiresMs: undefined });
      if (!inserted) continue;
      process.stdout.write(`Credential created for ${arn} (the secret is shown once):\nAWS_ACCESS_KEY_ID=${accessKeyId}\nAWS_SECRET_ACCESS_KEY=${secret}\n`);
      return 0;
    }
  } finally {
    await storage.close();
  }
}

function usage(problem: string): number {
  process.stderr.write(`flint credentials: ${problem}\n${HELP}`);
  return 2;
}

/** The storage and master key a running Flint of the same data directory or database uses. */
async function openStorage(dataDirFlag: string | undefined, databaseFlag: string | undefined, env: NodeJS.ProcessEnv): Promise<{ storage: Storage; masterKey: Buffer }> {
  const database = databaseFlag ?? env.FLINT_DATABASE_URL;
  if (database !== undefined && /^postgres(ql)?:\/\//.test(database)) {
    const storage = await openPostgresStorage(database);
    try {
      return { storage, masterKey: await storage.secrets.getOrCreate('code-master-key', randomBytes(MASTER_KEY_BYTES)) };
    } catch (err) {
      await storage.close();
      throw err;
    }
  }
  const dataDir = resolve(dataDirFlag ?? env.FLINT_DATA_DIR ?? '.flint');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const masterKey = await loadOrCreateMasterKey(dataDir);
  return { storage: openSqliteStorage(join(dataDir, 'flint.db')), masterKey };
}
