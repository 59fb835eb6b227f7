import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDomainError } from '../model/index.ts';
import type { ApiError } from '../shared/index.ts';
import { checkPayloadSize, decodeClientContext, normalisePayload, parseInvocationType, payloadLimitBytes, MAX_SYNC_PAYLOAD_BYTES } from './invoke-limits.ts';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isDomainError(err) ? err.kind : (err as ApiError).code;
  }
};

describe('invoke limits', () => {
  it('accepts a sync payload of exactly 6 MB', () => assert.equal(code(() => checkPayloadSize('Invoke', 'RequestResponse', MAX_SYNC_PAYLOAD_BYTES)), undefined));
  it('refuses a sync payload over 6 MB', () => assert.equal(code(() => checkPayloadSize('Invoke', 'RequestResponse', MAX_SYNC_PAYLOAD_BYTES + 1)), 'PayloadTooLarge'));
  it('refuses an async payload over 1 MB', () => assert.equal(code(() => checkPayloadSize('Invoke', 'Event', 1024 * 1024 + 1)), 'PayloadTooLarge'));
  const limits: Array<[Parameters<typeof payloadLimitBytes>[0], Parameters<typeof payloadLimitBytes>[1], number | undefined]> = [
    ['Invoke', 'RequestResponse', 6 * 1024 * 1024],
    ['Invoke', 'DryRun', 6 * 1024 * 1024],
    ['Invoke', 'Event', 1024 * 1024],
    ['InvokeAsync', 'Event', 256 * 1024],
    ['AsyncDelivery', 'RequestResponse', undefined],
  ];
  for (const [entry, type, limit] of limits) it(`limits ${type} through ${entry} to ${limit ?? 'nothing'}`, () => assert.equal(payloadLimitBytes(entry, type), limit));
  it('accepts an InvokeAsync payload of exactly 256 KB', () => assert.equal(code(() => checkPayloadSize('InvokeAsync', 'Event', 256 * 1024)), undefined));
  it('refuses an InvokeAsync payload over 256 KB', () => assert.equal(code(() => checkPayloadSize('InvokeAsync', 'Event', 256 * 1024 + 1)), 'PayloadTooLarge'));
  it('checks no size for an async delivery (its event was checked when accepted)', () =>
    assert.equal(code(() => checkPayloadSize('AsyncDelivery', 'RequestResponse', MAX_SYNC_PAYLOAD_BYTES * 2)), undefined));
  it('turns an empty body into {}', () => assert.equal(normalisePayload(Buffer.alloc(0)).toString(), '{}'));
  it('refuses a body that is not JSON', () => assert.equal(code(() => normalisePayload(Buffer.from('{nope'))), 'InvalidPayload'));
  it('decodes a client context', () => assert.equal(decodeClientContext(Buffer.from('{"a":1}').toString('base64')), '{"a":1}'));
  it('refuses a client context that is not base64 JSON', () => assert.equal(code(() => decodeClientContext('!!!')), 'InvalidClientContext'));
  const types: Array<[string | undefined, string]> = [
    [undefined, 'RequestResponse'],
    ['Event', 'Event'],
    ['DryRun', 'DryRun'],
  ];
  for (const [h, t] of types) it(`reads invocation type ${h}`, () => assert.equal(parseInvocationType(h), t));
  it('refuses an unknown invocation type', () => assert.equal(code(() => parseInvocationType('Later')), 'ValidationException'));
});
