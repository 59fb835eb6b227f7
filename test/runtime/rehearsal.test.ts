/**
 * The rehearsed invocations of a Node cell waiting in the pool (src/sandbox-runtime/nodejs/rehearsal.mjs),
 * in this process: the real invoke loop and Runtime API client against the rehearsal's stand-in on
 * loopback. What a cell's first real invocation sees afterwards is covered through the real Runtime
 * API server in nodejs-runtime.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait-for.ts';

type Handler = (event: { rehearsal?: boolean }, context: { awsRequestId: string }) => Promise<unknown>;
// The runtime client is plain JavaScript checked on its own (src/sandbox-runtime/tsconfig.json).
const modulePath: string = '../../src/sandbox-runtime/nodejs/rehearsal.mjs';
const { rehearseInvocations } = (await import(modulePath)) as {
  rehearseInvocations: (handler: Handler, rounds: number, stopped: Promise<unknown>) => Promise<void>;
};

const NEVER = new Promise<never>(() => {});
/** Network handles of this process (listeners and connections), by kind. */
const networkHandles = (): string[] => process.getActiveResourcesInfo().filter((r) => /TCP/.test(r)).sort();

test('rehearses the number of invocations asked for, each a canned event with its own request id, and closes its stand-in', async () => {
  const before = networkHandles();
  const ids = new Set<string>();
  let events = 0;
  await rehearseInvocations(async (event, context) => {
    if (event.rehearsal === true) events++;
    ids.add(context.awsRequestId);
    return { ok: true };
  }, 20, NEVER);
  assert.equal(events, 20);
  assert.equal(ids.size, 20);
  // closing sockets and listeners end a few event-loop turns later
  await waitFor(() => networkHandles().length === before.length, { timeoutMs: 5000 }).catch(() => undefined);
  assert.deepEqual(networkHandles(), before, 'no listener or connection of the rehearsal is left');
  assert.equal(process.env['_X_AMZN_TRACE_ID'], undefined, 'its trace id is cleared');
});

test('stops between invocations once the specialization has come', async () => {
  let count = 0;
  let arrive!: () => void;
  const stopped = new Promise<void>((resolve) => (arrive = resolve));
  await rehearseInvocations(async () => {
    if (++count === 5) arrive();
    return null;
  }, 1000, stopped);
  assert.ok(count >= 5 && count <= 6, `${count} invocations`);
});

// a rehearsal that waited on its handler would hold the cell's specialization up for good: the test would time out
test('a handler that never answers cannot hold the specialization up: the rehearsal ends after its grace', { timeout: 10_000 }, async () => {
  let arrive!: () => void;
  const stopped = new Promise<void>((resolve) => (arrive = resolve));
  let calls = 0;
  const rehearsal = rehearseInvocations(() => (calls++, NEVER), 50, stopped);
  await new Promise((resolve) => setTimeout(resolve, 20));
  arrive();
  await rehearsal;
  assert.equal(calls, 1, 'the one invocation under way was abandoned, no other started');
});

// the loop's own completion ends the process when an answer cannot be posted: this test file would fail
test('an invocation abandoned at the grace that answers afterwards, to the closed stand-in, ends nothing', async () => {
  let arrive!: () => void;
  const stopped = new Promise<void>((resolve) => (arrive = resolve));
  let release!: () => void;
  const late = new Promise<void>((resolve) => (release = resolve));
  const rehearsal = rehearseInvocations(() => late.then(() => ({ late: true })), 50, stopped);
  await new Promise((resolve) => setTimeout(resolve, 20));
  arrive();
  await rehearsal;
  release();
  await new Promise((resolve) => setTimeout(resolve, 200)); // the late answer meets the closed port
  assert.equal(process.exitCode ?? 0, 0);
});
