/**
 * The SQS messages an asynchronous event ends as (pure), sent before the event settles:
 *
 * - to an SQS destination (OnSuccess / OnFailure `arn:aws:sqs:...`): Lambda's invocation record
 *   (destination-record.ts, the same record a function destination gets) as the body;
 * - to the function's dead-letter queue (`DeadLetterConfig.TargetArn`) after a final failure:
 *   the event itself as the body, with the message attributes Lambda adds: `RequestID` (String),
 *   `ErrorCode` (Number, the 3-digit status code) and `ErrorMessage` (String, its first 1 KB).
 */
import type { AttemptResponse, LeasedEvent } from '../model/index.ts';
import type { QueueMessage } from './ports.ts';
import { destinationRecord, type RecordCondition } from './destination-record.ts';
import type { RetryDecision } from './retry-policy.ts';

export type MessageRole = 'destination' | 'deadLetterQueue';

export interface OutgoingMessage {
  readonly role: MessageRole;
  readonly queueArn: string;
  readonly message: QueueMessage;
}

export interface MessageContext {
  readonly event: LeasedEvent;
  /** This attempt's response, when it reached the function. */
  readonly response: AttemptResponse | undefined;
  /** approximateInvokeCount after this attempt. */
  readonly invokeCount: number;
  /** The function's ARN qualified with what was invoked (`:$LATEST` when unqualified). */
  readonly functionArn: string;
  readonly nowMs: number;
  /** The version's DeadLetterConfig.TargetArn, when it has one. */
  readonly deadLetterQueueArn: string | undefined;
}

/** Bytes of the error message a dead-letter message carries (Lambda: the first 1 KB). */
export const MAX_ERROR_MESSAGE_BYTES = 1024;

/** Whether a destination or dead-letter ARN names an SQS queue. */
export function isQueueArn(arn: string | undefined): arn is string {
  return arn !== undefined && arn.startsWith('arn:') && arn.split(':')[2] === 'sqs';
}

/** The messages to send for this decision (none for a retry). */
export function queueMessagesFor(decision: RetryDecision, ctx: MessageContext): OutgoingMessage[] {
  if (decision.action === 'retry') return [];
  const out: OutgoingMessage[] = [];
  if (decision.action === 'ack') {
    if (isQueueArn(decision.destination)) out.push(recordMessage(decision.destination, 'Success', ctx));
    return out;
  }
  if (decision.condition === 'FunctionNotFound') return out; // the function (and its configuration) is gone
  if (isQueueArn(decision.destination)) out.push(recordMessage(decision.destination, decision.condition, ctx));
  if (isQueueArn(ctx.deadLetterQueueArn)) out.push(deadLetterMessage(ctx.deadLetterQueueArn, decision.condition, ctx));
  return out;
}

function recordMessage(queueArn: string, condition: RecordCondition, ctx: MessageContext): OutgoingMessage {
  const record = destinationRecord({
    requestId: ctx.event.requestId,
    functionArn: ctx.functionArn,
    condition,
    approximateInvokeCount: ctx.invokeCount,
    requestPayload: ctx.event.payload,
    response: ctx.response ?? ctx.event.lastResponse,
    nowMs: ctx.nowMs,
  });
  return { role: 'destination', queueArn, message: { body: record.toString('utf8') } };
}

function deadLetterMessage(queueArn: string, condition: RecordCondition, ctx: MessageContext): OutgoingMessage {
  const response = ctx.response ?? ctx.event.lastResponse;
  const errorMessage = truncateUtf8(response === undefined ? condition : errorMessageOf(response) ?? condition, MAX_ERROR_MESSAGE_BYTES);
  return {
    role: 'deadLetterQueue',
    queueArn,
    message: {
      body: ctx.event.payload.toString('utf8'),
      messageAttributes: {
        RequestID: { dataType: 'String', stringValue: ctx.event.requestId },
        // an event that never reached the function was refused (throttled) until it aged out
        ErrorCode: { dataType: 'Number', stringValue: String(response?.statusCode ?? (condition === 'EventAgeExceeded' ? 429 : 500)) },
        ErrorMessage: { dataType: 'String', stringValue: errorMessage },
      },
    },
  };
}

/** The `errorMessage` of a function error's payload, else its text; undefined when there is none. */
function errorMessageOf(response: AttemptResponse): string | undefined {
  const text = response.payload.toString('utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { errorMessage?: unknown }).errorMessage === 'string') {
      const m = (parsed as { errorMessage: string }).errorMessage;
      return m === '' ? undefined : m;
    }
  } catch {
    // not JSON: the text itself
  }
  return text.trim() === '' ? undefined : text;
}

/** The longest prefix of `s` within `maxBytes` of UTF-8, never splitting a character. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}
