/** Contract: the SQS-compatible queues' store (queues, send, receive with visibility, FIFO groups and deduplication, redrive). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewSqsMessage, SqsQueueRecord, SqsReceiveRequest } from '../../model/index.ts';
import { using, type StorageContractTarget } from './contract-support.ts';

const queue = (name: string, over: Partial<SqsQueueRecord> = {}): SqsQueueRecord => ({
  name, fifo: name.endsWith('.fifo'), attributes: { VisibilityTimeout: '30' }, tags: {}, createdMs: 1_000, lastModifiedMs: 1_000, lastPurgeMs: undefined, ...over,
});
const message = (n: number, over: Partial<NewSqsMessage> = {}): NewSqsMessage => ({
  messageId: `m-${n}`, body: `body ${n}`, messageAttributes: { n: { dataType: 'Number', stringValue: String(n) } }, md5OfBody: 'x', md5OfMessageAttributes: 'y',
  senderId: 'acct', visibleAtMs: 0, groupId: undefined, deduplicationId: undefined, ...over,
});
const receiving = (nowMs: number, over: Partial<SqsReceiveRequest> = {}): SqsReceiveRequest => ({ nowMs, maxMessages: 10, visibilityMs: 1_000, retainedSinceMs: 0, redrive: undefined, ...over });
const DEDUP_MS = 300_000;

export function sqsContract(target: StorageContractTarget): void {
  describe('SQS queues', () => {
    it('creates a queue once, lists by prefix, merges attributes, sets tags, deletes it with its messages', () =>
      using(target, async (s) => {
        assert.equal((await s.sqs.createQueue(queue('orders'))).created, true);
        const again = await s.sqs.createQueue(queue('orders', { attributes: { VisibilityTimeout: '5' } }));
        assert.deepEqual([again.created, again.queue.attributes], [false, { VisibilityTimeout: '30' }]);
        await s.sqs.createQueue(queue('other'));
        assert.deepEqual((await s.sqs.listQueues({ prefix: 'or', limit: 10 })).map((q) => q.name), ['orders']);
        assert.deepEqual((await s.sqs.listQueues({ prefix: '', after: 'orders', limit: 10 })).map((q) => q.name), ['other']);
        assert.equal(await s.sqs.setAttributes('orders', { DelaySeconds: '3' }, 2_000), true);
        assert.equal(await s.sqs.setTags('orders', { team: 'a' }), true);
        const got = await s.sqs.getQueue('orders');
        assert.deepEqual([got?.attributes, got?.tags, got?.lastModifiedMs], [{ VisibilityTimeout: '30', DelaySeconds: '3' }, { team: 'a' }, 2_000]);
        await s.sqs.send('orders', [message(1)], 10, DEDUP_MS);
        assert.equal(await s.sqs.deleteQueue('orders'), true);
        assert.equal(await s.sqs.getQueue('orders'), undefined);
        assert.equal(await s.sqs.send('orders', [message(2)], 10, DEDUP_MS), undefined);
        await s.sqs.createQueue(queue('orders'));
        assert.deepEqual(await s.sqs.counts('orders', 20), { visible: 0, notVisible: 0, delayed: 0 });
      }));

    it('receives each message once while hidden, again after the visibility timeout, and deletes only with the current receipt', () =>
      using(target, async (s) => {
        await s.sqs.createQueue(queue('q'));
        await s.sqs.send('q', [message(1), message(2, { visibleAtMs: 500 })], 100, DEDUP_MS);
        assert.deepEqual(await s.sqs.counts('q', 100), { visible: 1, notVisible: 0, delayed: 1 });
        const [first, ...rest] = (await s.sqs.receive('q', receiving(100)))!;
        assert.deepEqual([first?.messageId, first?.body, first?.messageAttributes, first?.receiveCount, first?.sentMs, rest.length], ['m-1', 'body 1', { n: { dataType: 'Number', stringValue: '1' } }, 1, 100, 0]);
        assert.deepEqual(await s.sqs.receive('q', receiving(200)), []);
        assert.deepEqual(await s.sqs.counts('q', 200), { visible: 0, notVisible: 1, delayed: 1 });
        const again = (await s.sqs.receive('q', receiving(1_200)))!;
        assert.deepEqual(again.map((m) => [m.messageId, m.receiveCount]), [['m-1', 2], ['m-2', 1]]);
        assert.equal(again[0]!.firstReceiveMs, 100);
        assert.equal(await s.sqs.deleteMessage('q', { id: first!.id, token: first!.receiptToken }), false, 'a stale receipt');
        assert.equal(await s.sqs.changeVisibility('q', { id: first!.id, token: first!.receiptToken }, 0, 1_200), 'unknown');
        assert.equal(await s.sqs.changeVisibility('q', { id: again[1]!.id, token: again[1]!.receiptToken }, 1_300, 1_250), 'changed');
        assert.equal(await s.sqs.changeVisibility('q', { id: again[1]!.id, token: again[1]!.receiptToken }, 1_500, 1_400), 'notInflight');
        assert.equal(await s.sqs.deleteMessage('q', { id: again[0]!.id, token: again[0]!.receiptToken }), true);
        assert.equal(await s.sqs.deleteMessage('missing', { id: 1, token: 'x' }), undefined);
        assert.equal(await s.sqs.purge('q', 2_000, 60_000), 'purged');
        assert.equal(await s.sqs.purge('q', 2_001, 60_000), 'inProgress');
        assert.deepEqual(await s.sqs.counts('q', 2_000), { visible: 0, notVisible: 0, delayed: 0 });
      }));

    it('keeps a FIFO group in order (blocked while one of its messages is in flight) and drops duplicates within the window', () =>
      using(target, async (s) => {
        await s.sqs.createQueue(queue('f.fifo'));
        const sent = (await s.sqs.send('f.fifo', [
          message(1, { groupId: 'a', deduplicationId: 'd1' }), message(2, { groupId: 'a', deduplicationId: 'd2' }),
          message(3, { groupId: 'b', deduplicationId: 'd3' }), message(4, { groupId: 'a', deduplicationId: 'd1' }),
        ], 100, DEDUP_MS))!;
        assert.deepEqual(sent.map((o) => o.messageId), ['m-1', 'm-2', 'm-3', 'm-1']);
        assert.deepEqual(sent.map((o) => o.sequenceNumber), ['00000000000000000001', '00000000000000000002', '00000000000000000003', '00000000000000000001']);
        const first = (await s.sqs.receive('f.fifo', receiving(200, { maxMessages: 1 })))!;
        assert.deepEqual(first.map((m) => m.messageId), ['m-1']);
        assert.deepEqual((await s.sqs.receive('f.fifo', receiving(200)))!.map((m) => m.messageId), ['m-3'], 'group a waits for m-1');
        await s.sqs.deleteMessage('f.fifo', { id: first[0]!.id, token: first[0]!.receiptToken });
        assert.deepEqual((await s.sqs.receive('f.fifo', receiving(300)))!.map((m) => m.messageId), ['m-2']);
        const later = (await s.sqs.send('f.fifo', [message(5, { groupId: 'a', deduplicationId: 'd1' })], 100 + DEDUP_MS, DEDUP_MS))!;
        assert.equal(later[0]!.messageId, 'm-5', 'the window has passed');
      }));

    it('moves a message received maxReceiveCount times to the dead-letter queue', () =>
      using(target, async (s) => {
        await s.sqs.createQueue(queue('src'));
        await s.sqs.createQueue(queue('dlq'));
        await s.sqs.send('src', [message(1)], 100, DEDUP_MS);
        const redrive = { deadLetterQueue: 'dlq', maxReceiveCount: 2 };
        assert.equal((await s.sqs.receive('src', receiving(100, { redrive })))!.length, 1);
        assert.equal((await s.sqs.receive('src', receiving(2_000, { redrive })))!.length, 1);
        assert.deepEqual(await s.sqs.receive('src', receiving(4_000, { redrive })), []);
        const [dead] = (await s.sqs.receive('dlq', receiving(4_000)))!;
        assert.deepEqual([dead?.messageId, dead?.body, dead?.receiveCount, dead?.sentMs], ['m-1', 'body 1', 1, 100]);
      }));

    it('drops messages past the retention period', () =>
      using(target, async (s) => {
        await s.sqs.createQueue(queue('r'));
        await s.sqs.send('r', [message(1)], 100, DEDUP_MS);
        await s.sqs.send('r', [message(2)], 200, DEDUP_MS);
        assert.deepEqual((await s.sqs.receive('r', receiving(300, { retainedSinceMs: 150 })))!.map((m) => m.messageId), ['m-2']);
      }));

    it('never hands one message to two receivers of two storages at once', () =>
      using(target, async (s, another) => {
        const other = await another();
        await s.sqs.createQueue(queue('shared'));
        await s.sqs.send('shared', Array.from({ length: 40 }, (_, i) => message(i)), 100, DEDUP_MS);
        const batches = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? s : other).sqs.receive('shared', receiving(200, { maxMessages: 5 }))));
        const ids = batches.flatMap((b) => b!.map((m) => m.messageId));
        assert.equal(ids.length, 40);
        assert.equal(new Set(ids).size, 40);
      }));
  });
}
