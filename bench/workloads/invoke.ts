import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { BenchFunction } from '../targets/target.ts';
import type { HandlerReply } from './handler-source.ts';

const EMPTY = Buffer.from('{}');

/** One synchronous invoke through the SDK; a function error or a non-200 status is an error. */
export async function invoke(fn: BenchFunction, event?: object): Promise<HandlerReply> {
  const out = await fn.client.send(new InvokeCommand({ FunctionName: fn.name, Payload: event === undefined ? EMPTY : Buffer.from(JSON.stringify(event)) }));
  const text = Buffer.from(out.Payload ?? []).toString('utf8');
  if (out.StatusCode !== 200 || out.FunctionError !== undefined) throw new Error(`invoke ${fn.name}: status ${out.StatusCode} ${out.FunctionError ?? ''} ${text.slice(0, 300)}`);
  return JSON.parse(text) as HandlerReply;
}

/** One asynchronous (Event) invoke; anything but 202 is an error. */
export async function invokeEvent(fn: BenchFunction, event: object): Promise<void> {
  const out = await fn.client.send(new InvokeCommand({ FunctionName: fn.name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
  if (out.StatusCode !== 202) throw new Error(`Event invoke ${fn.name}: status ${out.StatusCode}`);
}
