import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configInputError, qualifierError, storedCors } from './url-config-validation.ts';
import { newUrlId, URL_ID_RE } from './url-id.ts';

describe('function URL config input', () => {
  it('takes no qualifier or an alias, and refuses a version number or $LATEST', () => {
    assert.equal(qualifierError(undefined), undefined);
    assert.equal(qualifierError('live'), undefined);
    assert.equal(qualifierError('v1-beta_2'), undefined);
    assert.equal(
      qualifierError('$LATEST')?.message,
      "1 validation error detected: Value '$LATEST' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)",
    );
    assert.equal(qualifierError('12')?.code, 'ValidationException');
  });

  it('lists every violation in one ValidationException', () => {
    const err = configInputError('7', { InvokeMode: 'X', Cors: { MaxAge: -1, AllowOrigins: [''] } }, true);
    assert.equal(err?.code, 'ValidationException');
    assert.match(err!.message, /^5 validation errors detected: Value '7' at 'qualifier'.*; Value null at 'authType' failed to satisfy constraint: Member must not be null; Value 'X' at 'invokeMode'.*; Value '\[\]' at 'cors.allowOrigins.member' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '-1' at 'cors.maxAge'/);
    assert.equal(configInputError(undefined, {}, false), undefined, 'Update needs no member');
    assert.equal(configInputError(undefined, { AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM', Cors: { MaxAge: 86_400 } }, true), undefined);
  });

  it('keeps only the Cors members given', () => {
    assert.deepEqual(storedCors({ AllowOrigins: ['*'], MaxAge: undefined }), { AllowOrigins: ['*'] });
    assert.equal(storedCors(undefined), undefined);
  });

  it('makes URL ids of 32 lowercase alphanumerics', () => {
    const ids = new Set(Array.from({ length: 200 }, newUrlId));
    assert.equal(ids.size, 200);
    for (const id of ids) assert.match(id, URL_ID_RE);
  });
});
