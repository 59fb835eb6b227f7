import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NETWORK_INDEXES, networkPlan, slotOfName, slotPlan } from './network-plan.ts';
import { hostSlotBatch, instanceRulesScript, sandboxSideConfig, type NetworkMode } from './network-commands.ts';
import { HOST_ACCESS_SETTINGS, type HostAccess } from './host-access.ts';

test('instance blocks are /21s of 169.254.0.0/16 that avoid the reserved ends, 169.254.100.1 and 169.254.169.254', () => {
  assert.equal(NETWORK_INDEXES.length, 28);
  for (const index of NETWORK_INDEXES) {
    const third = index * 8;
    assert.ok(third > 0 && third + 7 < 255);
    assert.ok(!(third <= 100 && 100 <= third + 7) && !(third <= 169 && 169 <= third + 7), `block ${index}`);
  }
  assert.throws(() => networkPlan('abc', 12));
  assert.throws(() => networkPlan('abc', 21));
  assert.throws(() => networkPlan('Bad-Name', 1));
  assert.throws(() => networkPlan('toolongname', 1));
});

test.describe('slot addresses and names', () => {
  const table: [number, string, string][] = [
    [1, '169.254.16.2', 'flabc-1'],
    [254, '169.254.16.255', 'flabc-254'],
    [255, '169.254.17.0', 'flabc-255'],
    [2045, '169.254.23.254', 'flabc-2045'],
  ];
  for (const [slot, address, veth] of table) {
    test(`slot ${slot} of block 2 is ${address} on ${veth}`, () => {
      const s = slotPlan(networkPlan('abc', 2), slot);
      assert.equal(s.address, address);
      assert.equal(s.hostVeth, veth);
      assert.equal(s.netns, `flint-abc-${slot}`);
      assert.ok(s.hostVeth.length <= 15);
      assert.notEqual(s.hostMac, s.sandboxMac);
    });
  }
  test('slots outside 1..2045 are refused', () => {
    assert.throws(() => slotPlan(networkPlan('abc', 2), 0));
    assert.throws(() => slotPlan(networkPlan('abc', 2), 2046));
  });
});

test('only names of this instance map back to slots', () => {
  const plan = networkPlan('abc', 1);
  assert.equal(slotOfName(plan, 'flabc-17'), 17);
  assert.equal(slotOfName(plan, 'flint-abc-17'), 17);
  for (const other of ['flabcd-17', 'flint-abcd-17', 'flabc-', 'flabc-x', 'flabc-017', 'eth0', 'br-1234']) assert.equal(slotOfName(plan, other), undefined, other);
});

test.describe('instance rules: what a sandbox reaches on the host, by network mode and host access', () => {
  const plan = networkPlan('abc', 1);
  const IN = '-A FLINT-abc-IN';
  const hostRules: Record<HostAccess, string[]> = {
    all: [`${IN} -d 169.254.8.1/32 -p icmp -j ACCEPT`, `${IN} -d 169.254.8.1/32 -j ACCEPT`],
    gateway: [`${IN} -d 169.254.8.1/32 -p icmp -j ACCEPT`, `${IN} -d 169.254.8.1/32 -m socket -j ACCEPT`],
    none: [],
  };
  const modes: NetworkMode[] = ['bridge', 'isolated'];
  for (const mode of modes) {
    for (const access of HOST_ACCESS_SETTINGS) {
      test(`${mode}, host access ${access}: INPUT admits replies${access === 'none' ? '' : ', then the gateway address only'}${access === 'gateway' ? ' where a socket is bound to it' : ''}; the rest is dropped`, () => {
        const script = instanceRulesScript(plan, mode, access);
        const input = script.split('\n').filter((l) => l.startsWith(IN));
        assert.deepEqual(input, [`${IN} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`, ...hostRules[access], `${IN} -j DROP`]);
        assert.doesNotMatch(script, /9001/, 'the Runtime API is on the sandbox\'s own loopback: no rule concerns it');
        // never sandbox to sandbox, never link-local (other instances, 169.254.169.254), never rewritten to loopback
        assert.match(script, /-A FLINT-abc-FWD -i flabc-\+ -o flabc-\+ -j DROP\n/);
        assert.match(script, /-A FLINT-abc-FWD -j DROP\n/);
        assert.match(script, /-I INPUT -i flabc-\+ -j FLINT-abc-IN\n/);
        assert.doesNotMatch(script, /DNAT|REDIRECT|127\.0\.0\.|169\.254\.169\.254/);
        if (mode === 'bridge') {
          assert.match(script, /-A FLINT-abc-FWD -i flabc-\+ ! -d 169\.254\.0\.0\/16 -j ACCEPT\n/);
          assert.match(script, /-A FLINT-abc-NAT ! -d 169\.254\.0\.0\/16 -j MASQUERADE\n/);
        } else {
          assert.doesNotMatch(script, /MASQUERADE|\*nat|-i flabc-\+ ! -d/);
        }
      });
    }
  }
});

test('a slot is a routed veth pair with static neighbours; only bridge mode has a default route', () => {
  const plan = networkPlan('abc', 1);
  const slot = slotPlan(plan, 3);
  assert.match(hostSlotBatch(plan, slot), /route add 169\.254\.8\.4\/32 dev flabc-3 src 169\.254\.8\.1/);
  assert.deepEqual(sandboxSideConfig(plan, slot, 'bridge'), {
    netnsPath: `/run/netns/${slot.netns}`, address: '169.254.8.4', gateway: '169.254.8.1', gatewayMac: slot.hostMac, mode: 'bridge',
  });
  assert.equal(sandboxSideConfig(plan, slot, 'isolated').mode, 'isolated');
});
