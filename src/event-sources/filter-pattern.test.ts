import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../shared/index.ts';
import { matches, parsePattern, passesFilters } from './filter-pattern.ts';

const m = (pattern: unknown, value: unknown): boolean => matches(parsePattern(JSON.stringify(pattern)), value);

describe('filter patterns: matching', () => {
  it('exact values, null, empty string and booleans; keys are ANDed', () => {
    assert.equal(m({ a: ['x', 'y'] }, { a: 'y' }), true);
    assert.equal(m({ a: ['x'] }, { a: 'X' }), false);
    assert.equal(m({ a: [5] }, { a: 5 }), true);
    assert.equal(m({ a: [5] }, { a: '5' }), false);
    assert.equal(m({ a: [null] }, { a: null }), true);
    assert.equal(m({ a: [null] }, {}), false);
    assert.equal(m({ a: [''] }, { a: '' }), true);
    assert.equal(m({ a: [true] }, { a: true }), true);
    assert.equal(m({ a: ['x'], b: ['y'] }, { a: 'x', b: 'y' }), true);
    assert.equal(m({ a: ['x'], b: ['y'] }, { a: 'x', b: 'z' }), false);
  });

  it('nested objects, and fields holding lists (any element)', () => {
    assert.equal(m({ o: { p: ['v'] } }, { o: { p: 'v' } }), true);
    assert.equal(m({ o: { p: ['v'] } }, { o: 'v' }), false);
    assert.equal(m({ o: { p: ['v'] } }, {}), false);
    assert.equal(m({ tags: ['b'] }, { tags: ['a', 'b'] }), true);
    assert.equal(m({ tags: ['c'] }, { tags: ['a', 'b'] }), false);
  });

  it('prefix, suffix, equals-ignore-case, wildcard', () => {
    assert.equal(m({ a: [{ prefix: 'us-' }] }, { a: 'us-east-1' }), true);
    assert.equal(m({ a: [{ prefix: 'us-' }] }, { a: 'eu-west-1' }), false);
    assert.equal(m({ a: [{ suffix: '.png' }] }, { a: 'x.png' }), true);
    assert.equal(m({ a: [{ suffix: '.png' }] }, { a: 'x.jpg' }), false);
    assert.equal(m({ a: [{ 'equals-ignore-case': 'NEW' }] }, { a: 'new' }), true);
    assert.equal(m({ a: [{ wildcard: 'a*c.*' }] }, { a: 'abbbc.txt' }), true);
    assert.equal(m({ a: [{ wildcard: 'a*c' }] }, { a: 'abd' }), false);
    assert.equal(m({ a: [{ wildcard: 'a.c' }] }, { a: 'abc' }), false, 'a dot is literal');
  });

  it('anything-but: values, lists, prefix, suffix, ignore-case; never a missing field', () => {
    assert.equal(m({ a: [{ 'anything-but': 'x' }] }, { a: 'y' }), true);
    assert.equal(m({ a: [{ 'anything-but': 'x' }] }, { a: 'x' }), false);
    assert.equal(m({ a: [{ 'anything-but': ['x', 'y'] }] }, { a: 'y' }), false);
    assert.equal(m({ a: [{ 'anything-but': [1, 2] }] }, { a: 3 }), true);
    assert.equal(m({ a: [{ 'anything-but': { prefix: 'tmp' } }] }, { a: 'tmp1' }), false);
    assert.equal(m({ a: [{ 'anything-but': { prefix: 'tmp' } }] }, { a: 'prod' }), true);
    assert.equal(m({ a: [{ 'anything-but': { suffix: '.tmp' } }] }, { a: 'x.tmp' }), false);
    assert.equal(m({ a: [{ 'anything-but': { 'equals-ignore-case': ['A', 'B'] } }] }, { a: 'b' }), false);
    assert.equal(m({ a: [{ 'anything-but': 'x' }] }, {}), false);
  });

  it('numeric comparisons and ranges', () => {
    assert.equal(m({ n: [{ numeric: ['=', 100] }] }, { n: 100 }), true);
    assert.equal(m({ n: [{ numeric: ['>', 0, '<=', 5] }] }, { n: 5 }), true);
    assert.equal(m({ n: [{ numeric: ['>', 0, '<=', 5] }] }, { n: 0 }), false);
    assert.equal(m({ n: [{ numeric: ['>=', 10] }] }, { n: 9.5 }), false);
    assert.equal(m({ n: [{ numeric: ['<', 10] }] }, { n: '5' }), false, 'a string is no number');
  });

  it('exists true and false (a leaf only)', () => {
    assert.equal(m({ a: [{ exists: true }] }, { a: 'x' }), true);
    assert.equal(m({ a: [{ exists: true }] }, {}), false);
    assert.equal(m({ a: [{ exists: false }] }, {}), true);
    assert.equal(m({ a: [{ exists: false }] }, { a: 1 }), false);
    assert.equal(m({ a: [{ exists: true }] }, { a: { b: 1 } }), false, 'an object is no leaf');
  });

  it('$or between patterns', () => {
    const p = { $or: [{ a: ['x'] }, { b: [{ numeric: ['>', 3] }] }] };
    assert.equal(m(p, { a: 'x' }), true);
    assert.equal(m(p, { b: 4 }), true);
    assert.equal(m(p, { a: 'y', b: 1 }), false);
  });
});

describe('filter patterns: validation', () => {
  const bad = [
    'not json',
    '[]',
    '{}',
    '{"a":"x"}',
    '{"a":[]}',
    '{"a":[{"prefix":1}]}',
    '{"a":[{"unknown":"x"}]}',
    '{"a":[{"prefix":"x","suffix":"y"}]}',
    '{"a":[{"numeric":[">"]}]}',
    '{"a":[{"numeric":["~",1]}]}',
    '{"a":[{"numeric":["<",5,">",1]}]}',
    '{"a":[{"exists":"yes"}]}',
    '{"a":[{"anything-but":[]}]}',
    '{"a":[{"anything-but":{"wildcard":"x"}}]}',
    '{"$or":[{"a":["x"]}]}',
    '{"a":[[1]]}',
  ];
  for (const text of bad) {
    it(`refuses ${text}`, () => {
      assert.throws(() => parsePattern(text), (err: unknown) => err instanceof ApiError && err.code === 'InvalidParameterValueException' && err.message === 'Invalid filter pattern definition.');
    });
  }
});

describe('filter criteria over SQS records', () => {
  const record = (body: string) => ({ messageId: 'm', body, attributes: { ApproximateReceiveCount: '1' }, eventSource: 'aws:sqs' });

  it('matches a JSON body as parsed JSON, and a text body as text', () => {
    const kind = parsePattern('{"body":{"kind":["order"]}}');
    assert.equal(passesFilters([kind], record('{"kind":"order"}')), true);
    assert.equal(passesFilters([kind], record('{"kind":"refund"}')), false);
    assert.equal(passesFilters([kind], record('kind=order')), false);
    assert.equal(passesFilters([parsePattern('{"body":[{"prefix":"kind="}]}')], record('kind=order')), true);
  });

  it('passes with no filters, and when any filter matches', () => {
    assert.equal(passesFilters([], record('x')), true);
    const a = parsePattern('{"body":{"n":[1]}}');
    const b = parsePattern('{"attributes":{"ApproximateReceiveCount":["1"]}}');
    assert.equal(passesFilters([a, b], record('{"n":2}')), true);
    assert.equal(passesFilters([a], record('{"n":2}')), false);
  });
});
