import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilterPattern, FilterPatternError } from './filter-pattern.ts';

const ERROR_JSON = JSON.stringify({ timestamp: '2026-01-01T00:00:00.000Z', level: 'ERROR', requestId: 'r1', message: 'disk full', latency: 730, user: { id: 7, name: 'ann' }, tags: ['a', 'b'], ok: false, gone: null });
const INFO_JSON = JSON.stringify({ level: 'INFO', message: 'all good', latency: 12, user: { id: 8, name: 'bob' }, ok: true });
const TEXT_ERROR = '2026-01-01T00:00:00.000Z\tr1\tERROR\tdisk full on /dev/sda';
const TEXT_INFO = '2026-01-01T00:00:00.000Z\tr1\tINFO\tall good';
const TEXT_WARN = '2026-01-01T00:00:00.000Z\tr1\tWARN\tExiting soon';
const ACCESS = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';
const EVENTS = { ERROR_JSON, INFO_JSON, TEXT_ERROR, TEXT_INFO, TEXT_WARN, ACCESS };

/** [pattern, the events it matches] */
const TABLE: Array<[string, Array<keyof typeof EVENTS>]> = [
  ['', ['ERROR_JSON', 'INFO_JSON', 'TEXT_ERROR', 'TEXT_INFO', 'TEXT_WARN', 'ACCESS']],
  ['ERROR', ['ERROR_JSON', 'TEXT_ERROR']],
  ['error', []],
  ['ERROR disk', ['ERROR_JSON', 'TEXT_ERROR']],
  ['ERROR sda', ['TEXT_ERROR']],
  ['"disk full on"', ['TEXT_ERROR']],
  ['"all good"', ['INFO_JSON', 'TEXT_INFO']],
  ['?ERROR ?WARN', ['ERROR_JSON', 'TEXT_ERROR', 'TEXT_WARN']],
  ['?"disk full" ?Exiting', ['ERROR_JSON', 'TEXT_ERROR', 'TEXT_WARN']],
  ['r1 -ERROR', ['TEXT_INFO', 'TEXT_WARN']],
  ['r1 -"disk full"', ['TEXT_INFO', 'TEXT_WARN']],
  ['%ERR(OR)?\\s%', ['TEXT_ERROR']],
  ['{ $.level = "ERROR" }', ['ERROR_JSON']],
  ['{$.level="ERROR"}', ['ERROR_JSON']],
  ['{ $.level = ERROR }', ['ERROR_JSON']],
  ['{ $.level != "ERROR" }', ['INFO_JSON']],
  ['{ $.message = "disk*" }', ['ERROR_JSON']],
  ['{ $.message = "*good" }', ['INFO_JSON']],
  ['{ $.latency > 500 }', ['ERROR_JSON']],
  ['{ $.latency >= 12 }', ['ERROR_JSON', 'INFO_JSON']],
  ['{ $.latency <= 12 }', ['INFO_JSON']],
  ['{ $.latency < 13 }', ['INFO_JSON']],
  ['{ $.latency = 730 }', ['ERROR_JSON']],
  ['{ $.latency != 730 }', ['INFO_JSON']],
  ['{ $.user.id = 8 }', ['INFO_JSON']],
  ['{ $.user.name = "ann" }', ['ERROR_JSON']],
  ['{ $.tags[1] = "b" }', ['ERROR_JSON']],
  ['{ $.level = "ERROR" && $.latency > 1000 }', []],
  ['{ ($.level = "ERROR") && ($.latency > 500) }', ['ERROR_JSON']],
  ['{ $.level = "ERROR" || $.user.name = "bob" }', ['ERROR_JSON', 'INFO_JSON']],
  ['{ ($.level = "INFO" || $.level = "ERROR") && $.ok IS TRUE }', ['INFO_JSON']],
  ['{ $.ok IS FALSE }', ['ERROR_JSON']],
  ['{ $.gone IS NULL }', ['ERROR_JSON']],
  ['{ $.gone NOT EXISTS }', ['INFO_JSON']],
  ['{ $.gone EXISTS }', ['ERROR_JSON']],
  ['{ $.missing = "x" }', []],
  ['[ip, identity, user, timestamp, request, status_code = 404, bytes]', ['ACCESS']],
  ['[ip, identity, user, timestamp, request, status_code = 4*, bytes > 1000]', ['ACCESS']],
  ['[ip, identity, user, timestamp, request, status_code = 2*, bytes]', []],
  ['[ip = 127.0.0.1, ...]', ['ACCESS']],
  ['[..., status_code != 404, bytes]', []],
  ['[..., bytes < 2000]', ['ACCESS']],
  ['[ip, user]', ['ERROR_JSON', 'INFO_JSON']],
  ['[ip, user, x]', []],
  ['[ip, ..., request = "GET *", ...]', ['ACCESS']],
];

describe('filter patterns', () => {
  for (const [pattern, expected] of TABLE) {
    it(`${JSON.stringify(pattern)} matches ${expected.length === 0 ? 'nothing' : expected.join(', ')}`, () => {
      const matches = compileFilterPattern(pattern);
      const got = (Object.keys(EVENTS) as Array<keyof typeof EVENTS>).filter((k) => matches(EVENTS[k]));
      assert.deepEqual(got, expected);
    });
  }

  for (const bad of ['"unterminated', '{ $.level = }', '{ level = "x" }', '{ $.a < "text" }', '{ $.a = 1 ', '{ ($.a = 1 }', '[a b c', '[1abc]', '%(%', '?', '{ $.a = 1 } x']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      assert.throws(() => compileFilterPattern(bad), FilterPatternError);
    });
  }
});
