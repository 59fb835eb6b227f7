import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listFunctionsViolations } from './function-listing.ts';
import type { ListFunctionsQuery } from './function-commands.ts';

describe('ListFunctions model constraints', () => {
  const cases: ReadonlyArray<readonly [string, ListFunctionsQuery, readonly string[]]> = [
    ['no parameters', {}, []],
    ['FunctionVersion ALL, MasterRegion ALL and the largest MaxItems', { functionVersion: 'ALL', masterRegion: 'ALL', maxItems: 10000 }, []],
    ['a region name as MasterRegion', { masterRegion: 'us-gov-west-1' }, []],
    ['a FunctionVersion other than ALL', { functionVersion: '$LATEST' }, ['functionVersion']],
    ['a MasterRegion that is not a region', { masterRegion: 'mars' }, ['masterRegion']],
    ['MaxItems below 1 and above 10000', { maxItems: 0 }, ['maxItems']],
    ['every member wrong, in the order of the model', { maxItems: 10001, functionVersion: 'x', masterRegion: 'x' }, ['masterRegion', 'functionVersion', 'maxItems']],
  ];
  for (const [what, query, members] of cases) {
    it(`reports ${members.length === 0 ? 'nothing' : members.join(', ')} for ${what}`, () => {
      assert.deepEqual(listFunctionsViolations(query).map((v) => v.member), members);
    });
  }
});
