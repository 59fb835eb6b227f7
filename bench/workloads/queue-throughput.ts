/**
 * Messages through an SQS event source mapping: SendMessageBatch (@aws-sdk/client-sqs) to a
 * queue mapped to the warm hello function, until its handler has started for every message.
 * Flint only: the peer (serverless-offline) and the baseline have no queues.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { summarize } from '../lib/stats.ts';
import { benchSqsClient } from '../targets/flint-queues.ts';
import { isUnsupported } from '../targets/target.ts';
import { figureId, type Workload } from './workload.ts';

const ID = 'sqs';
const FIGURES = [
  ['rate', 'SQS messages from first send to last handler start, per second', 'msg/s', 'higher'],
  ['p50', 'SQS send -> handler start latency p50', 'ms', 'lower'],
  ['p99', 'SQS send -> handler start latency p99', 'ms', 'lower'],
] as const;

export const queueThroughput: Workload = {
  id: ID,
  title: 'SQS event source mapping: SendMessageBatch to handler start',
  method: (p) =>
    `${p.sqsSenders} callers send ${p.sqsMessages} messages with SendMessageBatch (10 per call, @aws-sdk/client-sqs) as fast as they can to a new standard queue mapped (BatchSize 10, no batching window) to the warm hello function. The handler logs, for each record, the time it started (one console.log per record; its log group is read afterwards). Messages/s = messages / (last handler start - first send); latency = handler start - the start of the SendMessageBatch call that carried the message. Flint only: serverless-offline has no SQS, and the baseline no queues. Hello handler only.`,
  figures: (p) => (p.kinds.includes('hello') ? FIGURES.map(([metric, label, unit, better]) => ({ id: figureId(ID, metric, 'hello'), label, unit, better, kind: 'hello' as const })) : []),
  async run(ctx) {
    if (ctx.kind !== 'hello') return;
    const mapping = await ctx.target.queueMapping(ctx.kind);
    if (isUnsupported(mapping)) {
      for (const [metric] of FIGURES) ctx.unsupported(figureId(ID, metric, ctx.kind), mapping.unsupported);
      return;
    }
    const { sqsMessages: count, sqsSenders } = ctx.params;
    const sqs = benchSqsClient(mapping.sqsEndpoint);
    try {
      const mark = randomUUID().slice(0, 8);
      const sentMs = new Array<number>(count);
      let next = 0;
      const firstSendMs = Date.now();
      await Promise.all(Array.from({ length: sqsSenders }, async () => {
        while (next < count) {
          const from = next;
          const n = Math.min(10, count - from);
          next += n;
          const at = Date.now();
          for (let i = from; i < from + n; i++) sentMs[i] = at;
          const { Failed } = await sqs.send(new SendMessageBatchCommand({
            QueueUrl: mapping.queueUrl,
            Entries: Array.from({ length: n }, (_, j) => ({ Id: `m${j}`, MessageBody: JSON.stringify({ mark, i: from + j }) })),
          }));
          if (Failed !== undefined && Failed.length > 0) throw new Error(`SendMessageBatch failed for ${Failed.length} entries: ${Failed[0]!.Code} ${Failed[0]!.Message}`);
        }
      }));
      const started = await ctx.target.executions(mapping.fn, mark, count, 180_000);
      if (started.size < count) throw new Error(`the handler started for only ${started.size} of ${count} messages within 180 s`);
      const starts = [...started.values()];
      ctx.record(figureId(ID, 'rate', ctx.kind), count / ((Math.max(...starts) - firstSendMs) / 1000));
      const latency = summarize([...started].map(([i, at]) => at - sentMs[i]!));
      ctx.record(figureId(ID, 'p50', ctx.kind), latency.p50);
      ctx.record(figureId(ID, 'p99', ctx.kind), latency.p99);
    } finally {
      sqs.destroy();
      await mapping.close();
    }
  },
};
