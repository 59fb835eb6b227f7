import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionVersionConfig } from '../model/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import { STATUS_OF } from './function-state.ts';
import { renderFunctionConfiguration, renderGetFunction } from './function-view.ts';

const account = { region: 'eu-west-1', accountId: '123456789012' };
const config = functionVersion('f', { role: 'arn:aws:iam::123456789012:role/r', codeSize: 10, revisionId: 'r1', lastModifiedMs: Date.UTC(2024, 0, 1) });

describe('FunctionConfiguration view', () => {
  it("renders Lambda's members: ARN in the configured region and account, base64 CodeSha256, Lambda timestamps", () => {
    const v = renderFunctionConfiguration(config, { account });
    assert.equal(v.FunctionArn, 'arn:aws:lambda:eu-west-1:123456789012:function:f');
    assert.equal(v.CodeSha256, Buffer.from('ab'.repeat(32), 'hex').toString('base64'));
    assert.equal(v.LastModified, '2024-01-01T00:00:00.000+0000');
    assert.equal(v.State, 'Active');
    assert.equal(v.LastUpdateStatus, 'Successful');
  });

  const cases: Array<[string, Partial<FunctionVersionConfig>, object, string[]]> = [
    ['omits Environment and Layers when empty', {}, {}, ['Environment', 'Layers']],
    ['omits State members in listings', {}, { forList: true }, ['State', 'LastUpdateStatus', 'StateReason']],
    ['omits LastUpdateStatus while Pending', STATUS_OF.creating, {}, ['LastUpdateStatus']],
  ];
  for (const [name, over, options, absent] of cases) {
    it(name, () => {
      const v = renderFunctionConfiguration({ ...config, ...over }, { account, ...options });
      for (const key of absent) assert.equal(key in v, false, key);
    });
  }

  it('renders Layers as ARN and size, and qualifies the ARN on request', () => {
    const layer = { arn: 'arn:aws:lambda:eu-west-1:123456789012:layer:l:1', codeSize: 321, sha256Hex: 'cd'.repeat(32), unzippedBytes: 999 };
    const v = renderFunctionConfiguration({ ...config, layers: [layer] }, { account, qualifiedArn: true });
    assert.deepEqual(v.Layers, [{ Arn: 'arn:aws:lambda:eu-west-1:123456789012:layer:l:1', CodeSize: 321 }]);
    assert.equal(v.FunctionArn, 'arn:aws:lambda:eu-west-1:123456789012:function:f:$LATEST');
  });

  it('adds Tags and Concurrency to GetFunction only when set', () => {
    const fn = { name: 'f', createdMs: 0, tags: {}, reservedConcurrency: undefined };
    const bare = renderGetFunction({ fn, config, codeLocation: 'http://x/code', qualifiedArn: false }, account);
    assert.deepEqual(Object.keys(bare), ['Configuration', 'Code']);
    const full = renderGetFunction({ fn: { ...fn, tags: { a: 'b' }, reservedConcurrency: 5 }, config, codeLocation: 'http://x/code', qualifiedArn: false }, account);
    assert.deepEqual(full.Tags, { a: 'b' });
    assert.deepEqual(full.Concurrency, { ReservedConcurrentExecutions: 5 });
    assert.deepEqual(full.Code, { RepositoryType: 'S3', Location: 'http://x/code' });
  });
});
