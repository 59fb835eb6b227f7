/** Time as a port, so that keep-alive, retries and timestamps can be tested without waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Lambda's timestamp format: ISO-8601 with milliseconds and a `+0000` offset. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
