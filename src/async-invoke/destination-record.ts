/**
 * Lambda's invocation record for asynchronous destinations, built purely from
 * the event and its last attempt:
 *
 *   { version: "1.0", timestamp, requestContext: { requestId, functionArn,
 *     condition, approximateInvokeCount }, requestPayload,
 *     responseContext: { statusCode, executedVersion, functionError }, responsePayload }
 *
 * `responseContext` / `responsePayload` are present once an attempt reached the
 * function (an event that aged out while throttled has neither).
 */
import type { AttemptResponse } from '../model/index.ts';

export type RecordCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export interface RecordInput {
  readonly requestId: string;
  /** The function's ARN, qualified with the version or alias invoked (`:$LATEST` when unqualified). */
  readonly functionArn: string;
  readonly condition: RecordCondition;
  readonly approximateInvokeCount: number;
  readonly requestPayload: Buffer;
  readonly response: AttemptResponse | undefined;
  readonly nowMs: number;
}

export function destinationRecord(input: RecordInput): Buffer {
  const record: Record<string, unknown> = {
    version: '1.0',
    timestamp: new Date(input.nowMs).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: jsonOrText(input.requestPayload),
  };
  if (input.response !== undefined) {
    const r = input.response;
    record.responseContext = {
      statusCode: r.statusCode,
      executedVersion: r.executedVersion,
      ...(r.functionError === undefined ? {} : { functionError: r.functionError }),
    };
    record.responsePayload = jsonOrText(r.payload);
  }
  return Buffer.from(JSON.stringify(record));
}

/** A payload as the record carries it: parsed JSON, else the text itself, `null` when empty. */
function jsonOrText(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
