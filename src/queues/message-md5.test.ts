import assert from 'node:assert/strict';
import { it } from 'node:test';
import { md5OfBody, md5OfMessageAttributes } from './message-md5.ts';

it('digests the body as SQS does', () => {
  assert.equal(md5OfBody('hello'), '5d41402abc4b2a76b9719d911017c592');
});

it('digests message attributes as SQS does (published digests of other SQS implementations)', () => {
  assert.equal(md5OfMessageAttributes({ SellerName: { dataType: 'String', stringValue: 'Example Store' } }), 'cd28f3b68aeee4b2eac9c66f2f694b58');
  assert.equal(md5OfMessageAttributes({ timestamp: { dataType: 'Number', stringValue: '1493147359900' } }), '235c5c510d26fb653d073faed50ae77c');
  assert.equal(
    md5OfMessageAttributes({ ordinal: { dataType: 'Number', stringValue: '1' }, category: { dataType: 'String', stringValue: 'test' } }),
    'd21ae90c49061e927f57df5f5d72be1f',
  );
  assert.equal(md5OfMessageAttributes({}), undefined);
});
