import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { duplicateKeys } from './json-duplicate-keys.ts';

describe('duplicate keys in a JSON text', () => {
  it('finds a key repeated in one object, at any depth, that JSON.parse would hide', () => {
    assert.deepEqual(duplicateKeys('{"component":"worker-host","component":"sandbox-driver"}'), ['component']);
    assert.deepEqual(duplicateKeys('{"a":{"b":1,"c":[{"d":"}","d":2}],"b":3}}'), ['a.c.0.d', 'a.b']);
  });

  it('accepts the same key in different objects and escaped quotes in strings', () => {
    assert.deepEqual(duplicateKeys('{"a":{"k":1},"b":{"k":"x\\"k\\":"},"k":[1,true,null,{"k":-2.5e3}]}'), []);
  });
});
