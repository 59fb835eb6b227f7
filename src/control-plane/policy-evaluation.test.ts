import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PolicyStatement } from '../model/index.ts';
import { allowsInvoke, globMatches, type InvokeAuthorization } from './policy-evaluation.ts';
import { buildStatement, policyDocument, type PermissionGrant } from './policy-statement.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:f';
const grant = (g: Partial<PermissionGrant>): PolicyStatement =>
  buildStatement({ statementId: 's', action: 'lambda:InvokeFunction', principal: '*', ...g }, ARN);

/** AWS's public-access pair for a NONE function URL (since October 2025 both are needed). */
const URL_PUBLIC = grant({ statementId: 'url', action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'NONE' });
const INVOKE_PUBLIC = grant({ statementId: 'invoke', action: 'lambda:InvokeFunction' });
const INVOKE_VIA_URL = grant({ statementId: 'via-url', action: 'lambda:InvokeFunction', invokedViaFunctionUrl: true });

const urlCall = (over: Partial<InvokeAuthorization> = {}): InvokeAuthorization => ({
  action: 'lambda:InvokeFunctionUrl',
  principal: '*',
  functionUrlAuthType: 'NONE',
  invokedViaFunctionUrl: true,
  ...over,
});

describe('allowsInvoke', () => {
  const cases: Array<[string, readonly PolicyStatement[] | undefined, InvokeAuthorization, boolean]> = [
    ['no policy allows nothing', undefined, urlCall(), false],
    ['an empty policy allows nothing', [], urlCall(), false],
    ['public InvokeFunctionUrl with AuthType NONE, calling through a NONE URL', [URL_PUBLIC], urlCall(), true],
    ['the same statement, but the URL is AWS_IAM', [URL_PUBLIC], urlCall({ functionUrlAuthType: 'AWS_IAM' }), false],
    ['the same statement, but the request carries no AuthType (a plain API invoke)', [URL_PUBLIC], urlCall({ functionUrlAuthType: undefined }), false],
    ['InvokeFunctionUrl does not grant InvokeFunction', [URL_PUBLIC], urlCall({ action: 'lambda:InvokeFunction' }), false],
    ['public InvokeFunction grants InvokeFunction', [INVOKE_PUBLIC], urlCall({ action: 'lambda:InvokeFunction' }), true],
    ['InvokeFunction does not grant InvokeFunctionUrl', [INVOKE_PUBLIC], urlCall(), false],
    ['InvokedViaFunctionUrl true holds for a URL invoke', [INVOKE_VIA_URL], urlCall({ action: 'lambda:InvokeFunction' }), true],
    ['InvokedViaFunctionUrl true fails for an API invoke', [INVOKE_VIA_URL], { action: 'lambda:InvokeFunction', principal: '*', invokedViaFunctionUrl: false }, false],
    ['InvokedViaFunctionUrl true fails when the request does not say', [INVOKE_VIA_URL], { action: 'lambda:InvokeFunction', principal: '*' }, false],
    ['lambda:* matches every action', [grant({ action: 'lambda:*' })], urlCall({ functionUrlAuthType: undefined }), true],
    ['* matches every action', [grant({ action: '*' })], urlCall({ action: 'lambda:InvokeFunction' }), true],
    ['actions compare without case', [grant({ action: 'lambda:invokefunction' })], urlCall({ action: 'lambda:InvokeFunction' }), true],
    ['another action grants nothing', [grant({ action: 'lambda:GetFunction' })], urlCall({ action: 'lambda:InvokeFunction' }), false],
    ['an account principal is that account', [grant({ principal: '111122223333' })], { action: 'lambda:InvokeFunction', principal: { account: '111122223333' } }, true],
    ['an account principal is not another account', [grant({ principal: '111122223333' })], { action: 'lambda:InvokeFunction', principal: { account: '444455556666' } }, false],
    ['an account principal is not the anonymous caller', [grant({ principal: '111122223333' })], { action: 'lambda:InvokeFunction', principal: '*' }, false],
    ['* is any account', [INVOKE_PUBLIC], { action: 'lambda:InvokeFunction', principal: { account: '444455556666' } }, true],
    ['* is any service', [INVOKE_PUBLIC], { action: 'lambda:InvokeFunction', principal: { service: 'sns.amazonaws.com' } }, true],
    ['a service principal is that service', [grant({ principal: 's3.amazonaws.com' })], { action: 'lambda:InvokeFunction', principal: { service: 's3.amazonaws.com' } }, true],
    ['a service principal is not another service', [grant({ principal: 's3.amazonaws.com' })], { action: 'lambda:InvokeFunction', principal: { service: 'sns.amazonaws.com' } }, false],
    ['a service principal is not an account', [grant({ principal: 's3.amazonaws.com' })], { action: 'lambda:InvokeFunction', principal: { account: '111122223333' } }, false],
    [
      'SourceArn (ArnLike) and SourceAccount both hold',
      [grant({ principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::bucket-*', sourceAccount: '111122223333' })],
      { action: 'lambda:InvokeFunction', principal: { service: 's3.amazonaws.com' }, sourceArn: 'arn:aws:s3:::bucket-one', sourceAccount: '111122223333' },
      true,
    ],
    [
      'SourceArn does not match',
      [grant({ principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::bucket-*' })],
      { action: 'lambda:InvokeFunction', principal: { service: 's3.amazonaws.com' }, sourceArn: 'arn:aws:s3:::other' },
      false,
    ],
    [
      'SourceAccount differs',
      [grant({ principal: 's3.amazonaws.com', sourceAccount: '111122223333' })],
      { action: 'lambda:InvokeFunction', principal: { service: 's3.amazonaws.com' }, sourceAccount: '444455556666' },
      false,
    ],
    [
      'a condition key the request does not carry fails',
      [grant({ principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::b' })],
      { action: 'lambda:InvokeFunction', principal: { service: 's3.amazonaws.com' } },
      false,
    ],
    ['PrincipalOrgID holds', [grant({ principalOrgId: 'o-abcdefghij' })], { action: 'lambda:InvokeFunction', principal: { account: '111122223333' }, principalOrgId: 'o-abcdefghij' }, true],
    ['PrincipalOrgID differs', [grant({ principalOrgId: 'o-abcdefghij' })], { action: 'lambda:InvokeFunction', principal: { account: '111122223333' }, principalOrgId: 'o-zzzzzzzzzz' }, false],
    ['EventSourceToken holds', [grant({ eventSourceToken: 'tok.1' })], { action: 'lambda:InvokeFunction', principal: '*', eventSourceToken: 'tok.1' }, true],
    ['one statement that applies is enough', [grant({ action: 'lambda:GetFunction' }), INVOKE_PUBLIC], urlCall({ action: 'lambda:InvokeFunction' }), true],
    ['a Deny that applies refuses even with an Allow', [INVOKE_PUBLIC, { ...INVOKE_PUBLIC, Sid: 'deny', Effect: 'Deny' }], urlCall({ action: 'lambda:InvokeFunction' }), false],
    ['an operator it does not know fails closed', [{ ...INVOKE_PUBLIC, Condition: { NumericLessThan: { 'aws:EpochTime': '1' } } }], urlCall({ action: 'lambda:InvokeFunction' }), false],
    ['condition key names compare without case', [{ ...URL_PUBLIC, Condition: { StringEquals: { 'LAMBDA:functionurlauthtype': 'NONE' } } }], urlCall(), true],
  ];
  for (const [name, statements, request, expected] of cases) {
    it(name, () => assert.equal(allowsInvoke(statements, request), expected));
  }

  it('takes a whole document too, as GetPolicy answers it', () => {
    const document = JSON.parse(JSON.stringify(policyDocument([URL_PUBLIC, INVOKE_PUBLIC])));
    assert.equal(allowsInvoke(document, urlCall()), true);
    assert.equal(allowsInvoke(document, urlCall({ action: 'lambda:InvokeFunction' })), true);
  });

  it('a NONE URL is public only with both statements (the October 2025 rule, checked action by action)', () => {
    const publicUrl = (statements: readonly PolicyStatement[]) =>
      allowsInvoke(statements, urlCall()) && allowsInvoke(statements, urlCall({ action: 'lambda:InvokeFunction' }));
    assert.equal(publicUrl([URL_PUBLIC]), false);
    assert.equal(publicUrl([INVOKE_PUBLIC]), false);
    assert.equal(publicUrl([URL_PUBLIC, INVOKE_PUBLIC]), true);
    assert.equal(publicUrl([URL_PUBLIC, INVOKE_VIA_URL]), true);
  });
});

describe('globMatches', () => {
  const cases: Array<[string, string, boolean]> = [
    ['arn:aws:s3:::b', 'arn:aws:s3:::b', true],
    ['arn:aws:s3:::b*', 'arn:aws:s3:::bucket', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a.c', 'abc', false],
    ['*', '', true],
  ];
  for (const [pattern, value, expected] of cases) it(`${pattern} ~ ${value}`, () => assert.equal(globMatches(pattern, value), expected));
});
