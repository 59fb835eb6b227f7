import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseAliasVersion, type AliasRouting } from './weighted-routing.ts';

describe('chooseAliasVersion', () => {
  const split: AliasRouting = { functionVersion: '1', additional: { version: '2', weight: 0.3 } };
  const cases: Array<[string, AliasRouting, number, string]> = [
    ['runs the primary version of an alias without routing', { functionVersion: '4' }, 0.01, '4'],
    ['runs the additional version for a draw below its weight', split, 0.29, '2'],
    ['runs the primary version for a draw at the weight', split, 0.3, '1'],
    ['runs the primary version for a draw above the weight', split, 0.99, '1'],
    ['never runs an additional version of weight 0', { functionVersion: '1', additional: { version: '2', weight: 0 } }, 0, '1'],
    ['routes $LATEST aliases to $LATEST', { functionVersion: '$LATEST' }, 0.5, '$LATEST'],
  ];
  for (const [name, alias, random, expected] of cases) it(name, () => assert.equal(chooseAliasVersion(alias, random), expected));

  it('splits by weight over many draws', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let extra = 0;
    for (let i = 0; i < 10_000; i++) if (chooseAliasVersion(split, random()) === '2') extra++;
    assert.ok(Math.abs(extra / 10_000 - 0.3) < 0.02, `share ${extra / 10_000}`);
  });
});
