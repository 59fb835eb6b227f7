/**
 * The embedded store's share of an async event (docs/performance.md): the statements the accept
 * path and the pollers run per event, against a SQLite file in WAL mode as `flint serve` opens it,
 * in one process with nothing else running. Per event: its share of a group-committed enqueue, the
 * poller's round (ready counts, one take, the next wake-up) and its settle, with a backlog of
 * ready events kept (the events accepted and not yet taken, as in a burst). Prints µs of this
 * process's CPU per event over several passes; the median pass is the figure.
 *
 *   node_modules/.bin/node bench/event-queue.ts [--events 4000] [--passes 7] [--batch 8] [--cap 64] [--backlog 200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Finish, NewAsyncEvent } from '../src/model/index.ts';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '4000' }, passes: { type: 'string', default: '7' }, batch: { type: 'string', default: '8' }, cap: { type: 'string', default: '64' }, backlog: { type: 'string', default: '200' } } });
const BACKLOG = Number(values.backlog);
const EVENTS = Number(values.events);
const PASSES = Number(values.passes);
const BATCH = Number(values.batch);
const CAP = Number(values.cap);
const LEASE_MS = 30_000;
const FINISH: Finish = { kind: 'finish', to: 'Succeeded', forward: undefined, deadLetter: undefined, counters: ['succeeded'] };
const PAYLOAD = Buffer.from(JSON.stringify({ mark: 'bench', i: 0 }));

const dir = mkdtempSync(join(tmpdir(), 'flint-event-queue-'));
try {
  const storage = openSqliteStorage(join(dir, 'flint.db'));
  const queue = storage.queue;
  const perPass: number[] = [];
  let serial = 0;
  const newEvents = (n: number): NewAsyncEvent[] => Array.from({ length: n }, () => ({ requestId: `r-${serial++}`, functionName: 'fn', qualifier: undefined, payload: PAYLOAD, origin: 'invoke' }));
  await queue.enqueueAll(newEvents(BACKLOG), Date.now());
  for (let pass = 0; pass < PASSES; pass++) {
    const cpu = process.cpuUsage();
    for (let done = 0; done < EVENTS; done += BATCH) {
      const now = Date.now();
      await queue.enqueueAll(newEvents(BATCH), now);
      for (let i = 0; i < BATCH; i++) {
        await queue.readyByFunction(now, CAP);
        const event = await queue.take('fn', now, LEASE_MS);
        await queue.nextReadyMs(now);
        if (event === undefined) throw new Error('the queue lost an event');
        if (!(await queue.settle(event, FINISH, now))) throw new Error('a settle was refused');
      }
    }
    const used = process.cpuUsage(cpu);
    perPass.push((used.user + used.system) / EVENTS);
  }
  await storage.close();
  const sorted = [...perPass].sort((a, b) => a - b);
  console.log(`SQLite event queue, ${EVENTS} events x ${PASSES} passes, enqueue batches of ${BATCH}, a backlog of ${BACKLOG}, ready counts capped at ${CAP}`);
  console.log(`  CPU per event (µs), by pass: ${perPass.map((v) => v.toFixed(1)).join(' ')}`);
  console.log(`  median ${sorted[Math.floor(PASSES / 2)]!.toFixed(1)} µs per event`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
