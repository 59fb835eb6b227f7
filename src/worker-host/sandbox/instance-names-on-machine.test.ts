import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  blocksOnLoopback, namesFromCgroupDirs, namesFromIptables, namesFromLoopback, namesFromNetnsList, namesFromStateDirs,
} from './instance-names-on-machine.ts';

test('instance names are read from network namespace names, not from other programs\' namespaces', () => {
  const list = 'flint-f1a2b3c-12 (id: 4)\nflint-t9-1\nflint-f1a2b3c-\nflint-Upper-3\nother-ns\nflint-toolongname-1\n';
  assert.deepEqual(namesFromNetnsList(list), ['f1a2b3c', 't9']);
});

test('instance names are read from chain declarations in iptables -S, in every table', () => {
  const rules = '-P INPUT ACCEPT\n-N FLINT-f1a2b3c-IN\n-N FLINT-f1a2b3c-FWD\n-N FLINT-q-HOST\n-N DOCKER\n-A INPUT -i flf1a2b3c-+ -j FLINT-f1a2b3c-IN\n';
  assert.deepEqual(namesFromIptables(rules), ['f1a2b3c', 'f1a2b3c', 'q']);
});

test('instance names are read from link-local loopback labels only', () => {
  const addrs = [
    '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
    '1: lo    inet 169.254.8.1/32 scope global lo:f1a2b3c\\       valid_lft forever preferred_lft forever',
    '1: lo    inet 10.0.0.1/32 scope global lo:vip\\       valid_lft forever preferred_lft forever',
  ].join('\n');
  assert.deepEqual(namesFromLoopback(addrs), ['f1a2b3c']);
});

test('instance names are read from cgroup and state directories, never the claims directory', () => {
  assert.deepEqual(namesFromCgroupDirs(['flint-f1a2b3c', 'system.slice', 'flint-', 'flint-a-b']), ['f1a2b3c']);
  assert.deepEqual(namesFromStateDirs(['claims', 'f1a2b3c', 'NotOurs', 'much-too-long']), ['f1a2b3c']);
});

test('a block whose gateway address is on the loopback device is occupied, unless the address is the instance\'s own', () => {
  const addrs = [
    '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
    '1: lo    inet 169.254.8.1/32 scope global lo:fdead01\\       valid_lft forever preferred_lft forever',
    '1: lo    inet 169.254.16.1/32 scope global lo:fmine01\\       valid_lft forever preferred_lft forever',
    '1: lo    inet 169.254.24.1/32 scope global lo\\       valid_lft forever preferred_lft forever',
    '1: lo    inet 169.254.33.1/32 scope global lo:other\\       valid_lft forever preferred_lft forever',
  ].join('\n');
  assert.deepEqual([...blocksOnLoopback(addrs, 'fmine01')], [1, 3]);
});
