import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiError } from '../shared/index.ts';
import { assertSomethingToSet, DESTINATION_ARN_PATTERN, destinationOf, validationError, type EventInvokeConfigInput } from './event-invoke-config-validation.ts';

const account = { region: 'us-east-1', accountId: '000000000000' };
const fail = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return `${(err as ApiError).code}: ${(err as Error).message}`;
  }
  return 'ok';
};

describe('validationError', () => {
  const cases: Array<[string, EventInvokeConfigInput, string | undefined]> = [
    ['accepts the defaults', { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 }, undefined],
    ['accepts the minimums', { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 }, undefined],
    ['refuses 3 retries', { MaximumRetryAttempts: 3 }, "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2"],
    ['refuses negative retries', { MaximumRetryAttempts: -1 }, "1 validation error detected: Value '-1' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to 0"],
    ['refuses an age under a minute', { MaximumEventAgeInSeconds: 59 }, "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60"],
    ['refuses an age over six hours', { MaximumEventAgeInSeconds: 44444 }, "1 validation error detected: Value '44444' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600"],
    [
      'refuses a destination that is not an ARN',
      { DestinationConfig: { OnSuccess: { Destination: 'invalid' } } },
      `1 validation error detected: Value 'invalid' at 'destinationConfig.onSuccess.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: ${DESTINATION_ARN_PATTERN}`,
    ],
    ['accepts an empty destination', { DestinationConfig: { OnFailure: { Destination: '' } } }, undefined],
    [
      'reports every violation at once',
      { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 1 },
      "2 validation errors detected: Value '5' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2; Value '1' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    ],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(validationError(input)?.message, expected));
});

describe('assertSomethingToSet', () => {
  it('refuses a request with no setting', () =>
    assert.equal(fail(() => assertSomethingToSet({})), 'InvalidParameterValueException: You must specify at least one of error handling or destination setting.'));
  it('accepts a request with only a destination config', () => assert.equal(fail(() => assertSomethingToSet({ DestinationConfig: {} })), 'ok'));
});

describe('destinationOf', () => {
  const cases: Array<[string, string, string]> = [
    ['accepts a function ARN', 'arn:aws:lambda:us-east-1:000000000000:function:dest', 'dest -'],
    ['accepts a qualified function ARN', 'arn:aws:lambda:us-east-1:000000000000:function:dest:live', 'dest live'],
    ['refuses the function itself', 'arn:aws:lambda:us-east-1:000000000000:function:self', "InvalidParameterValueException: You can't specify the function as a destination for itself."],
    ['refuses another account', 'arn:aws:lambda:us-east-1:111111111111:function:dest', 'InvalidParameterValueException: The destination ARN arn:aws:lambda:us-east-1:111111111111:function:dest is invalid.'],
    ['refuses a lambda ARN that is not a function', 'arn:aws:lambda:us-east-1:000000000000:layer:l:1', 'InvalidParameterValueException: The destination ARN arn:aws:lambda:us-east-1:000000000000:layer:l:1 is invalid.'],
    ['accepts a queue ARN of this account and region', 'arn:aws:sqs:us-east-1:000000000000:q', 'queue'],
    ['refuses a queue ARN of another account', 'arn:aws:sqs:us-east-1:111111111111:q', 'InvalidParameterValueException: The destination ARN arn:aws:sqs:us-east-1:111111111111:q is invalid.'],
    ['refuses a queue ARN of another region', 'arn:aws:sqs:eu-west-1:000000000000:q', 'InvalidParameterValueException: The destination ARN arn:aws:sqs:eu-west-1:000000000000:q is invalid.'],
  ];
  for (const [name, arn, expected] of cases) {
    it(name, () => {
      let out: string;
      try {
        const ref = destinationOf(arn, account, 'self');
        out = ref.kind === 'queue' ? 'queue' : `${ref.name} ${ref.qualifier ?? '-'}`;
      } catch (err) {
        out = `${(err as ApiError).code}: ${(err as Error).message}`;
      }
      assert.equal(out, expected);
    });
  }
  for (const [service, arn] of [
    ['SNS', 'arn:aws:sns:us-east-1:000000000000:topic'],
    ['EventBridge', 'arn:aws:events:us-east-1:000000000000:event-bus/default'],
    ['S3', 'arn:aws:s3:::bucket'],
  ] as const) {
    it(`says clearly that ${service} destinations are not supported yet`, () =>
      assert.match(fail(() => destinationOf(arn, account, 'self')), /^InvalidParameterValueException: .*Flint doesn't support .* destinations yet.*Only Lambda function ARNs/));
  }
});
