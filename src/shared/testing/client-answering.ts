/** An AWS SDK client that never leaves the process: its transport answers with an API error's wire form. */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { renderApiError, type ApiError } from '../api-error.ts';

/** A client whose transport answers every request with the wire form of `err` (destroy it after use). */
export function clientAnswering(err: ApiError): LambdaClient {
  const rendered = renderApiError(err);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' };
  for (const [k, v] of Object.entries(rendered.headers)) headers[k.toLowerCase()] = v;
  return new LambdaClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({ response: { statusCode: rendered.status, reason: '', headers, body: new TextEncoder().encode(JSON.stringify(rendered.body)) } }),
    } as never,
  });
}
