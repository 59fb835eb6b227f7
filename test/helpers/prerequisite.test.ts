import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PrerequisiteMissingError, isCi, requirePrerequisite } from './prerequisite.ts';

describe('requirePrerequisite', () => {
  it('lets a test run when the prerequisite is available, in CI or not', () => {
    assert.equal(requirePrerequisite('bubblewrap', true, '', {}), false);
    assert.equal(requirePrerequisite('bubblewrap', true, '', { CI: 'true' }), false);
  });

  it('returns a skip reason naming the prerequisite and why when CI is not set', () => {
    assert.equal(requirePrerequisite('the AWS CLI', false, 'install awscli', {}), 'the AWS CLI is missing: install awscli');
    assert.equal(requirePrerequisite('root', false, '', { CI: '' }), 'root is missing');
  });

  it('fails with the reason instead of skipping when CI is set', () => {
    assert.throws(
      () => requirePrerequisite('the AWS CLI', false, 'install awscli', { CI: 'true' }),
      (err: Error) => err instanceof PrerequisiteMissingError && /^the AWS CLI is missing: install awscli \(CI is set/.test(err.message),
    );
  });

  it('counts CI as set for any value but empty, 0 and false', () => {
    assert.deepEqual(['true', '1', 'yes', 'TRUE'].map((CI) => isCi({ CI })), [true, true, true, true]);
    assert.deepEqual([undefined, '', '0', 'false', 'False'].map((CI) => isCi({ CI })), [false, false, false, false, false]);
  });
});
