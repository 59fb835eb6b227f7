/**
 * A mutex shared by every process on the machine, held by binding a Linux abstract
 * unix socket: the kernel lets one process bind a name at a time and frees it when
 * that process dies, so a crashed holder never leaves a stale lock behind.
 */
import { createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const SANDBOX_CLAIMS_LOCK = 'flint-sandbox-claims';

/** Runs `fn` while holding the machine-wide lock `name`; waits up to `waitMs` for it. */
export async function withMachineLock<T>(name: string, fn: () => Promise<T>, waitMs = 120_000): Promise<T> {
  const server = await acquire(name, waitMs);
  try {
    return await fn();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function acquire(name: string, waitMs: number): Promise<Server> {
  const deadline = Date.now() + waitMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const server = createServer();
    server.unref();
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(`\0${name}`, () => resolve(undefined));
    });
    if (err === undefined) return server;
    if (err.code !== 'EADDRINUSE') throw err;
    if (Date.now() >= deadline) throw new Error(`machine lock ${name} still held by another process after ${waitMs} ms`);
    await sleep(delay);
  }
}
