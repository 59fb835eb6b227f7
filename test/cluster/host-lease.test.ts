import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { createJoinToken, startWorkerProcess, statusHosts, type WorkerProcess } from './cluster-support.ts';

describe('a worker host whose lease (--host-lease-ms) ends', () => {
  let flint: FlintProcess;
  let worker: WorkerProcess | undefined;

  before(async () => {
    flint = await startFlintProcess({ args: ['--no-local-worker', '--host-lease-ms', '3000'] });
  });
  after(async () => {
    if (worker) {
      await worker.stop().catch(() => undefined);
      removeDataDir(worker.dataDir);
    }
    if (flint) {
      await flint.stop();
      removeDataDir(flint.dataDir);
    }
  });

  it('is told to drain at its next heartbeat, leaves hosts[] and exits 0', async () => {
    worker = await startWorkerProcess({ join: flint.endpoint, token: await createJoinToken(flint.dataDir) });
    const code = await worker.exited;
    assert.equal(code, 0);
    assert.match(worker.logs(), /"reason":"lease over".*"msg":"draining"/);
    await waitFor(async () => !(await statusHosts(flint.endpoint)).some((h) => h.id === worker!.id), { what: 'the host gone from hosts[]' });
  });
});
