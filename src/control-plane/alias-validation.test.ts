import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiError } from '../shared/index.ts';
import { aliasNameViolations, aliasVersionViolations, checkRouting, javaDouble, parseWeights } from './alias-validation.ts';
import { describeViolation } from '../shared/index.ts';

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return `${(err as ApiError).code}: ${(err as ApiError).message}`;
  }
};

describe('alias validation', () => {
  const names: Array<[string | undefined, string[]]> = [
    ['live', []],
    ['blue_green-2', []],
    ['123', ["Value '123' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"]],
    ['$LATEST', ["Value '$LATEST' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"]],
    [undefined, ["Value null at 'name' failed to satisfy constraint: Member must not be null"]],
  ];
  for (const [name, expected] of names) {
    it(`checks the alias name ${String(name)}`, () => assert.deepEqual(aliasNameViolations(name).map(describeViolation), expected));
  }

  const versions: Array<[string | undefined, boolean, number]> = [
    ['$LATEST', true, 0],
    ['12', true, 0],
    ['v1', true, 1],
    [undefined, true, 1],
    [undefined, false, 0],
  ];
  for (const [version, required, count] of versions) {
    it(`checks the function version ${String(version)} (required: ${required})`, () => assert.equal(aliasVersionViolations(version, required).length, count));
  }

  const weights: Array<[Record<string, number> | undefined, string]> = [
    [undefined, 'none'],
    [{}, 'none'],
    [{ 2: 0.5 }, '2@0.5'],
    [{ 2: 0 }, '2@0'],
    [{ 2: 2 }, "Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]"],
    [{ 2: -1 }, "Value '{2=-1.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]"],
    [{ 2: 1 }, "Value '{2=1.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]"],
    [{ $LATEST: 0.5 }, "Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]"],
  ];
  for (const [input, expected] of weights) {
    it(`reads AdditionalVersionWeights ${JSON.stringify(input)}`, () => {
      const r = parseWeights(input);
      const got = r.violations.length > 0 ? r.violations.map(describeViolation).join('; ') : r.additional ? `${r.additional.version}@${r.additional.weight}` : 'none';
      assert.equal(got, expected);
    });
  }

  it('refuses more than one additional version', () => {
    assert.equal(messageOf(() => parseWeights({ 2: 0.1, 3: 0.1 })), 'InvalidParameterValueException: Number of items in AdditionalVersionWeights cannot be greater than 1');
  });

  const routing: Array<[string, { version: string; weight: number } | undefined, string]> = [
    ['1', { version: '2', weight: 0.5 }, 'ok'],
    ['1', undefined, 'ok'],
    ['$LATEST', undefined, 'ok'],
    ['1', { version: '1', weight: 0.5 }, 'InvalidParameterValueException: Invalid function version 1. Function version 1 is already included in routing configuration.'],
    ['$LATEST', { version: '2', weight: 0.5 }, 'InvalidParameterValueException: $LATEST is not supported for an alias pointing to more than 1 version'],
  ];
  for (const [primary, additional, expected] of routing) {
    it(`checks routing from ${primary} to ${additional?.version ?? 'nothing'}`, () => assert.equal(messageOf(() => checkRouting(primary, additional)), expected));
  }

  it('prints weights as Java doubles', () => assert.deepEqual([2, -1, 0.25, 0].map(javaDouble), ['2.0', '-1.0', '0.25', '0.0']));
});
