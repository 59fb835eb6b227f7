/**
 * The one place that builds and wires Flint's components. Every role runs in this
 * one process by default (embedded database, local disk, one worker host).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApiServer } from './api/index.ts';
import { FileCodeStore } from './code-store/index.ts';
import type { FlintConfig } from './config/index.ts';
import { createControlPlane } from './control-plane/index.ts';
import { openDatabase } from './db/index.ts';
import { createLogger, systemClock, type Logger } from './shared/index.ts';

export interface RunningFlint {
  /** `http://HOST:PORT` of the Lambda API. */
  readonly endpoint: string;
  readonly config: FlintConfig;
  readonly logger: Logger;
  /** Stops accepting requests, drains, and releases every resource. Idempotent. */
  stop(): Promise<void>;
}

export async function startFlint(config: FlintConfig, logger: Logger = createLogger(config.logLevel)): Promise<RunningFlint> {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(dataDir, 'flint.db'));
  const codeStore = await FileCodeStore.open(dataDir);
  const account = { region: config.region, accountId: config.accountId };

  const controlPlane = createControlPlane({
    db,
    codeStore,
    account,
    quotas: { concurrentExecutions: config.accountConcurrency, totalCodeSizeBytes: config.codeStorageLimitBytes },
    clock: systemClock,
    logger,
    codeLocationKey: randomBytes(32),
  });
  controlPlane.start();

  const app = createApiServer({ logger });
  controlPlane.register(app);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const endpoint = `http://${host}:${address.port}`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await app.close();
      controlPlane.stop();
      db.close();
    })());
  return { endpoint, config, logger, stop };
}
