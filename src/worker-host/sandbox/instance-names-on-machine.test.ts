import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  namesFromCgroupDirs, namesFromIptables, namesFromLoopback, namesFromNetnsList, namesFromStateDirs,
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
