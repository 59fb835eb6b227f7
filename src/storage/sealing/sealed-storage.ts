/**
 * Wraps a Storage (either adapter) so that function environment variables are sealed at rest
 * (sealed-function-store.ts), and seals at start the rows written in the clear before sealing
 * existed. Every other store passes through untouched.
 */
import type { Storage, Stores } from '../ports.ts';
import { EnvironmentCipher } from './environment-cipher.ts';
import { holdsPlaintextEnvironment, sealConfig, SealedFunctionStore, type StoredVersionConfig } from './sealed-function-store.ts';

const SCAN_PAGE = 200;

/**
 * Pre: `masterKey` is 32 bytes, the same every start (and on every front end of a cluster).
 * Post: every stored version's variables are sealed; the returned Storage seals and opens them.
 */
export async function sealingEnvironments(storage: Storage, masterKey: Buffer): Promise<Storage> {
  const cipher = new EnvironmentCipher(masterKey);
  await sealPlaintextRows(storage, cipher);
  const seal = (stores: Stores): Stores => ({ ...storesOf(stores), functions: new SealedFunctionStore(stores.functions, cipher) });
  return {
    ...seal(storage),
    engine: storage.engine,
    changes: storage.changes,
    transaction: (fn) => storage.transaction((tx) => fn(seal(tx))),
    close: () => storage.close(),
  };
}

/** Rewrites, sealed, every row holding its variables in the clear (each row on its own: safe to run on several front ends at once). */
export async function sealPlaintextRows(storage: Storage, cipher: EnvironmentCipher): Promise<number> {
  let sealed = 0;
  let after: { name: string; version: string } | undefined;
  for (;;) {
    const page: StoredVersionConfig[] = await storage.functions.list({ after, limit: SCAN_PAGE, allVersions: true });
    for (const row of page.filter(holdsPlaintextEnvironment)) {
      await storage.functions.updateVersion(row.functionName, row.version, (current: StoredVersionConfig) =>
        holdsPlaintextEnvironment(current) ? sealConfig(cipher, current) : current,
      );
      sealed++;
    }
    if (page.length < SCAN_PAGE) return sealed;
    const last = page[page.length - 1]!;
    after = { name: last.functionName, version: last.version };
  }
}

/** Each store of `stores` (an adapter's object may carry more than the Stores members). */
function storesOf(s: Stores): Stores {
  return {
    functions: s.functions,
    aliases: s.aliases,
    provisioned: s.provisioned,
    eventInvokeConfigs: s.eventInvokeConfigs,
    functionUrls: s.functionUrls,
    policies: s.policies,
    queue: s.queue,
    deadLetters: s.deadLetters,
    hosts: s.hosts,
    frontEnds: s.frontEnds,
    joinTokens: s.joinTokens,
    leases: s.leases,
    concurrencyShares: s.concurrencyShares,
    secrets: s.secrets,
    eventSourceMappings: s.eventSourceMappings,
    layers: s.layers,
    credentials: s.credentials,
    sqs: s.sqs,
  };
}
