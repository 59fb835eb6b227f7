/**
 * How a dead letter is shown on the wire (`GET /flint/dlq`, read by `flint dlq`): JSON with
 * Lambda-style member names. Shared by the route that writes it and the CLI that reads it.
 */
export interface DeadLetterSummary {
  readonly Id: number;
  readonly RequestId: string;
  readonly FunctionName: string;
  readonly Qualifier?: string;
  readonly Condition: string;
  readonly ApproximateInvokeCount: number;
  readonly Origin: string;
  readonly AcceptedAt: string;
  readonly FailedAt: string;
  readonly PayloadSize: number;
}
