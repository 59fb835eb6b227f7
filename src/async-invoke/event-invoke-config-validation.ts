/**
 * Lambda's input rules for the event-invoke-config operations, as pure checks:
 * model constraints (ranges, the destination ARN pattern) become one
 * ValidationException listing every violation; service rules (at least one
 * setting, destination kinds, no self-destination) are InvalidParameterValueException.
 */
import { constraint, errors, parseFunctionRef, rangeViolations as range, validationException, type Account, type ApiError, type Violation } from '../shared/index.ts';

export interface DestinationInput {
  readonly Destination?: string | undefined;
}

/** The members of Put / UpdateFunctionEventInvokeConfig, as sent. */
export interface EventInvokeConfigInput {
  readonly MaximumRetryAttempts?: number | undefined;
  readonly MaximumEventAgeInSeconds?: number | undefined;
  readonly DestinationConfig?: { readonly OnSuccess?: DestinationInput | undefined; readonly OnFailure?: DestinationInput | undefined } | undefined;
}

export const DESTINATION_ARN_PATTERN = '^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)';
const DESTINATION_ARN_RE = new RegExp(`^(?:${DESTINATION_ARN_PATTERN})$`);
const MAX_DESTINATION_LENGTH = 350;

function destination(member: string, value: string | undefined): Violation[] {
  if (value === undefined) return [];
  const out: Violation[] = [];
  if (value.length > MAX_DESTINATION_LENGTH) out.push({ value, member, constraint: constraint.maxLength(MAX_DESTINATION_LENGTH) });
  if (!DESTINATION_ARN_RE.test(value)) out.push({ value, member, constraint: constraint.pattern(DESTINATION_ARN_PATTERN) });
  return out;
}

/** The model-constraint check; undefined when the input passes. */
export function validationError(input: EventInvokeConfigInput): ApiError | undefined {
  const d = input.DestinationConfig;
  const violations = [
    ...range('maximumRetryAttempts', input.MaximumRetryAttempts, 0, 2),
    ...range('maximumEventAgeInSeconds', input.MaximumEventAgeInSeconds, 60, 21_600),
    ...destination('destinationConfig.onSuccess.destination', d?.OnSuccess?.Destination),
    ...destination('destinationConfig.onFailure.destination', d?.OnFailure?.Destination),
  ];
  return violations.length === 0 ? undefined : validationException(violations);
}

/** Put / Update need at least one setting. */
export function assertSomethingToSet(input: EventInvokeConfigInput): void {
  if (input.MaximumRetryAttempts === undefined && input.MaximumEventAgeInSeconds === undefined && input.DestinationConfig === undefined) {
    throw errors.invalidParameter('You must specify at least one of error handling or destination setting.');
  }
}

const SERVICE_NAMES: Readonly<Record<string, string>> = { sns: 'Amazon SNS topic', events: 'Amazon EventBridge event bus', s3: 'Amazon S3 bucket' };

/** What a destination ARN names: a function (whose existence the caller checks) or one of Flint's queues. */
export type Destination = { readonly kind: 'function'; readonly name: string; readonly qualifier: string | undefined } | { readonly kind: 'queue' };

/**
 * What a destination ARN names, or the error Lambda (or, for services Flint
 * does not have, Flint) answers. A queue is not required to exist yet (as in
 * Lambda, a queue missing at delivery counts a DestinationDeliveryFailures).
 */
export function destinationOf(arn: string, account: Account, self: string): Destination {
  const parts = arn.split(':');
  const service = parts[2] ?? '';
  if (service === 'sqs') {
    if (parts.length !== 6 || parts[3] !== account.region || parts[4] !== account.accountId || parts[5] === '') throw errors.invalidParameter(`The destination ARN ${arn} is invalid.`);
    return { kind: 'queue' };
  }
  if (service !== 'lambda') {
    const what = SERVICE_NAMES[service] ?? `'${service}'`;
    throw errors.invalidParameter(
      `Flint doesn't support ${what} destinations yet (${arn}). Only Lambda function ARNs (arn:aws:lambda:${account.region}:${account.accountId}:function:NAME) and Amazon SQS queue ARNs (arn:aws:sqs:${account.region}:${account.accountId}:NAME) can be destinations.`,
    );
  }
  const ref = arn.includes(':function:') ? parseFunctionRef(arn, account) : undefined;
  if (ref === undefined) throw errors.invalidParameter(`The destination ARN ${arn} is invalid.`);
  if (ref.name === self) throw errors.invalidParameter("You can't specify the function as a destination for itself.");
  return { kind: 'function', ...ref };
}
