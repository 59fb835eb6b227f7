import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, test } from 'node:test';
import { claimInstance, dropDeadClaim, readClaims, sandboxInstanceName } from './instance-claim.ts';
import { NETWORK_INDEXES } from './network-plan.ts';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(`${tmpdir()}/flint-claims-`);
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const DEAD = { pid: 2 ** 22 + 1, startTime: '1' };

test('concurrent instances get distinct blocks, and a released block is free again', () => {
  const d = dir();
  const a = claimInstance('a', '/s/a', undefined, d);
  const b = claimInstance('b', '/s/b', undefined, d);
  assert.notEqual(a.index, b.index);
  a.release();
  assert.equal(claimInstance('c', '/s/c', undefined, d).index, a.index);
});

test('a live instance of the same name, even in this process, is refused', () => {
  const d = dir();
  claimInstance('a', '/s/a', undefined, d);
  assert.throws(() => claimInstance('a', '/s/a', undefined, d), /in use by pid/);
});

test('a restarted instance takes back its dead predecessor\'s block; a dead instance\'s block goes, with its leftovers, to the first one that finds no free block', () => {
  const d = dir();
  writeFileSync(`${d}/5`, JSON.stringify({ name: 'a', stateDir: '/s/a', ...DEAD, token: 'x' }));
  writeFileSync(`${d}/1`, JSON.stringify({ name: 'z', stateDir: '/s/z', ...DEAD, token: 'y' }));
  const again = claimInstance('a', '/s/a', undefined, d);
  assert.equal(again.index, 5);
  assert.deepEqual(again.predecessor, { name: 'a', stateDir: '/s/a' });
  const free = NETWORK_INDEXES.length - 2;
  for (let i = 0; i < free; i++) {
    const claim = claimInstance(`b${i}`, `/s/b${i}`, undefined, d);
    assert.notEqual(claim.index, 1);
    assert.equal(claim.predecessor, undefined);
  }
  const last = claimInstance('c', '/s/c', undefined, d);
  assert.equal(last.index, 1);
  assert.deepEqual(last.predecessor, { name: 'z', stateDir: '/s/z' });
  assert.throws(() => claimInstance('d', '/s/d', undefined, d), /no free sandbox network block/);
});

test('a preferred block is taken only when free', () => {
  const d = dir();
  assert.equal(claimInstance('a', '/s/a', 7, d).index, 7);
  assert.throws(() => claimInstance('b', '/s/b', 7, d), /in use/);
});

test('instance names are stable per data directory and distinct across them', () => {
  assert.equal(sandboxInstanceName('/data/one'), sandboxInstanceName('/data/one'));
  assert.notEqual(sandboxInstanceName('/data/one'), sandboxInstanceName('/data/two'));
  assert.match(sandboxInstanceName('/data/one'), /^[a-z0-9]{8}$/);
});

test('a claim lives while its process does: a reused pid (other start time), a missing start time or an unreadable file is dead', () => {
  const d = dir();
  claimInstance('a', '/s/a', 1, d);
  const reused = JSON.parse(readFileSync(`${d}/1`, 'utf8')) as { startTime: string };
  writeFileSync(`${d}/2`, JSON.stringify({ ...reused, name: 'b', startTime: `${Number(reused.startTime) - 1}` }));
  writeFileSync(`${d}/3`, JSON.stringify({ name: 'c', stateDir: '/s/c', pid: 2 ** 22 + 1, token: 'x' }));
  writeFileSync(`${d}/4`, '{"name":');
  writeFileSync(`${d}/not-a-claim`, 'x');
  const found = readClaims(d).sort((x, y) => x.index - y.index);
  assert.deepEqual(found, [
    { index: 1, owner: { name: 'a', stateDir: '/s/a' }, alive: true },
    { index: 2, owner: { name: 'b', stateDir: '/s/a' }, alive: false },
    { index: 3, owner: undefined, alive: false },
    { index: 4, owner: undefined, alive: false },
  ]);
});

test('dropping dead claims never drops a live one', () => {
  const d = dir();
  claimInstance('a', '/s/a', 1, d);
  writeFileSync(`${d}/2`, JSON.stringify({ name: 'b', stateDir: '/s/b', ...DEAD, token: 'y' }));
  dropDeadClaim(1, d);
  dropDeadClaim(2, d);
  assert.ok(existsSync(`${d}/1`));
  assert.ok(!existsSync(`${d}/2`));
});

test('a block occupied on the machine without a claim is never taken, preferred or not', () => {
  const d = dir();
  const occupied = new Set([NETWORK_INDEXES[0]!]);
  assert.notEqual(claimInstance('a', '/s/a', undefined, d, occupied).index, NETWORK_INDEXES[0]);
  assert.throws(() => claimInstance('b', '/s/b', NETWORK_INDEXES[0], d, occupied), /in use/);
});

test('an owner in another pid namespace counts as alive: its pid cannot be looked up from here', () => {
  const d = dir();
  writeFileSync(`${d}/1`, JSON.stringify({ name: 'a', stateDir: '/s/a', ...DEAD, pidNamespace: 'pid:[1]', token: 'x' }));
  assert.deepEqual(readClaims(d), [{ index: 1, owner: { name: 'a', stateDir: '/s/a' }, alive: true }]);
  dropDeadClaim(1, d);
  assert.ok(existsSync(`${d}/1`));
});
