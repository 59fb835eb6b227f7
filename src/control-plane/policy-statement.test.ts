import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../shared/index.ts';
import { buildStatement, INVALID_PRINCIPAL_MESSAGE, principalOf } from './policy-statement.ts';
import { addPermissionViolations, removeStatementIdViolations } from './policy-validation.ts';
import { validationException } from '../shared/index.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:f:live';

describe('the statement AddPermission writes', () => {
  it('renders members in Lambda order, StringEquals conditions before ArnLike', () => {
    const s = buildStatement({ statementId: 's3', action: 'lambda:InvokeFunction', principal: 's3.amazonaws.com', sourceAccount: '123456789012', sourceArn: 'arn:aws:s3:::b' }, ARN);
    assert.equal(
      JSON.stringify(s),
      '{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f:live","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::b"}}}',
    );
  });

  it('has no Condition when no optional member was given', () => {
    assert.equal('Condition' in buildStatement({ statementId: 'a', action: '*', principal: '*' }, ARN), false);
  });

  it('writes the function URL conditions', () => {
    const s = buildStatement({ statementId: 'u', action: 'lambda:InvokeFunctionUrl', principal: '*', functionUrlAuthType: 'NONE', principalOrgId: 'o-abcdefghij', invokedViaFunctionUrl: true }, ARN);
    assert.deepEqual(s.Condition, { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE', 'aws:PrincipalOrgID': 'o-abcdefghij' }, Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } });
  });

  const principals: Array<[string, unknown]> = [
    ['*', '*'],
    ['sns.amazonaws.com', { Service: 'sns.amazonaws.com' }],
    ['111122223333', { AWS: 'arn:aws:iam::111122223333:root' }],
    ['arn:aws:iam::111122223333:role/r', { AWS: 'arn:aws:iam::111122223333:role/r' }],
  ];
  for (const [given, rendered] of principals) it(`principal ${given}`, () => assert.deepEqual(principalOf(given), rendered));

  it('refuses any other principal with Lambda\'s text', () => {
    assert.throws(() => principalOf('somebody'), (e: unknown) => e instanceof ApiError && e.code === 'InvalidParameterValueException' && e.message === INVALID_PRINCIPAL_MESSAGE);
  });
});

describe('AddPermission and RemovePermission model checks', () => {
  const message = (v: ReturnType<typeof addPermissionViolations>) => validationException(v).message;

  it('accepts a complete, valid request', () => {
    assert.deepEqual(addPermissionViolations({ statementId: 'a-b_c', action: 'lambda:InvokeFunction', principal: '*', sourceArn: 'arn:aws:s3:::b', sourceAccount: '123456789012', eventSourceToken: 't.1', principalOrgId: 'o-abcdefghij', functionUrlAuthType: 'AWS_IAM' }), []);
  });

  it('names the missing required members', () => {
    assert.equal(
      message(addPermissionViolations({})),
      "3 validation errors detected: Value null at 'statementId' failed to satisfy constraint: Member must not be null; Value null at 'action' failed to satisfy constraint: Member must not be null; Value null at 'principal' failed to satisfy constraint: Member must not be null",
    );
  });

  const one: Array<[string, Parameters<typeof addPermissionViolations>[0], string]> = [
    ['a statement id with a dot', { statementId: 'a.b' }, "Value 'a.b' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)"],
    ['an empty statement id', { statementId: '' }, "Value '' at 'statementId' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)"],
    ['an action of another service', { action: 's3:GetObject' }, "Value 's3:GetObject' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])"],
    ['a principal with a space', { principal: 'a b' }, "Value 'a b' at 'principal' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+"],
    ['a short SourceAccount', { sourceAccount: '123' }, "Value '123' at 'sourceAccount' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{12}"],
    ['a SourceArn that is no ARN', { sourceArn: 'bucket' }, "Value 'bucket' at 'sourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)"],
    ['an unknown FunctionUrlAuthType', { functionUrlAuthType: 'PUBLIC' }, "Value 'PUBLIC' at 'functionUrlAuthType' failed to satisfy constraint: Member must satisfy enum value set: [NONE, AWS_IAM]"],
    ['a short PrincipalOrgID', { principalOrgId: 'org' }, "Value 'org' at 'principalOrgID' failed to satisfy constraint: Member must have length greater than or equal to 12; Value 'org' at 'principalOrgID' failed to satisfy constraint: Member must satisfy regular expression pattern: o-[a-z0-9]{10,32}"],
    ['an EventSourceToken with a space', { eventSourceToken: 'a b' }, "Value 'a b' at 'eventSourceToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9._\\-]+"],
  ];
  for (const [name, members, expected] of one) {
    it(name, () => {
      const v = addPermissionViolations({ statementId: 's', action: 'lambda:InvokeFunction', principal: '*', ...members });
      assert.equal(v.map((x) => validationException([x]).message.replace(/^1 validation error detected: /, '')).join('; '), expected);
    });
  }

  it('RemovePermission allows dots in the statement id, and at most 100 characters', () => {
    assert.deepEqual(removeStatementIdViolations('a.b'), []);
    assert.equal(validationException(removeStatementIdViolations('x'.repeat(101))).message, `1 validation error detected: Value '${'x'.repeat(101)}' at 'statementId' failed to satisfy constraint: Member must have length less than or equal to 100`);
  });
});
