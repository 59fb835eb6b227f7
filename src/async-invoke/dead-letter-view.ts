/** How a dead letter is shown (the `/flint/dlq` API and `flint dlq`): JSON with Lambda-style member names. */
import type { DeadLetterSummary } from '../model/index.ts';
import type { DeadLetter } from '../model/index.ts';

export function deadLetterSummary(d: DeadLetter): DeadLetterSummary {
  return {
    Id: d.id,
    RequestId: d.requestId,
    FunctionName: d.functionName,
    ...(d.qualifier === undefined ? {} : { Qualifier: d.qualifier }),
    Condition: d.condition,
    ApproximateInvokeCount: d.approximateInvokeCount,
    Origin: d.origin,
    AcceptedAt: new Date(d.acceptedMs).toISOString(),
    FailedAt: new Date(d.failedMs).toISOString(),
    PayloadSize: d.payload.length,
  };
}

/** The whole letter: the summary, the event payload and the last response the function gave. */
export function deadLetterDetail(d: DeadLetter): Record<string, unknown> {
  const r = d.lastResponse;
  return {
    ...deadLetterSummary(d),
    Payload: jsonOrText(d.payload),
    ...(r === undefined
      ? {}
      : {
          LastResponse: {
            StatusCode: r.statusCode,
            ExecutedVersion: r.executedVersion,
            ...(r.functionError === undefined ? {} : { FunctionError: r.functionError }),
            Payload: jsonOrText(r.payload),
          },
        }),
  };
}

function jsonOrText(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
