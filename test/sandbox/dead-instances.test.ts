/**
 * A starting driver reaps every dead instance on the machine (not only the block it
 * takes): processes, cgroups, namespaces, veths, chains, gateway addresses, state and
 * claims, also of an instance whose claim was lost; and leaves live instances alone.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { unlinkSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CLAIM_DIR } from '../../src/worker-host/sandbox/instance-claim.ts';
import { SANDBOX_CLAIMS_LOCK, withMachineLock } from '../../src/worker-host/sandbox/machine-lock.ts';
import { NamespaceSandboxDriver } from '../../src/worker-host/sandbox/namespace-sandbox-driver.ts';
import { instanceResources, NOTHING, type InstanceResources } from './instance-resources.ts';
import { startPython, uniqueInstanceName, SKIP_WITHOUT_SANDBOXES } from './sandbox-fixture.ts';

/** An instance in a child process with three sleeping sandboxes, ready when this resolves. */
async function runningInstance(name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./crashing-instance.ts', import.meta.url)), name], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`instance ${name} exited early (${code})`)));
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

/**
 * A process left in a sandbox's cgroups (the first sandbox's, by name), as a sandbox outliving its
 * Flint would be (the helper makes sandboxes die with Flint, but a process that escaped that must still go).
 */
function orphanIn(r: InstanceResources, instance: string): ChildProcess {
  const orphan = spawn('/bin/sleep', ['600'], { stdio: 'ignore' });
  const sandbox = r.cgroups.map((g) => g.split(`/flint-${instance}/`)[1]).filter((s) => s !== undefined).sort()[0];
  assert.ok(sandbox !== undefined, `instance ${instance} has a sandbox cgroup`);
  for (const group of r.cgroups.filter((g) => g.endsWith(`/flint-${instance}/${sandbox}`))) writeFileSync(`${group}/cgroup.procs`, String(orphan.pid));
  return orphan;
}

function leftSomething(r: InstanceResources): boolean {
  return r.cgroups.length > 4 && r.netns.length >= 3 && r.veths.length >= 3 && r.iptables.length > 0 && r.loopbackAddresses.length === 1 && r.stateDir;
}

describe('dead sandbox instances', { skip: SKIP_WITHOUT_SANDBOXES }, () => {
  test('a starting instance removes everything killed instances of other names left, claimed or not, and nothing of a live one', async () => {
    const [deadName, unclaimedName, liveName, newName] = [uniqueInstanceName(), uniqueInstanceName(), uniqueInstanceName(), uniqueInstanceName()];
    const live = await runningInstance(liveName);
    const dead = await runningInstance(deadName);
    const unclaimed = await runningInstance(unclaimedName);
    const orphans: ChildProcess[] = [];
    try {
      // under the claims lock, so that no instance starting elsewhere reaps them before they are looked at
      const liveBefore = await withMachineLock(SANDBOX_CLAIMS_LOCK, async () => {
        await kill(dead);
        await kill(unclaimed);
        const claims = instanceResources(unclaimedName).claims;
        assert.equal(claims.length, 1);
        unlinkSync(`${DEFAULT_CLAIM_DIR}/${claims[0]}`); // a claim lost: its instance is found by its names alone
        orphans.push(orphanIn(instanceResources(deadName), deadName), orphanIn(instanceResources(unclaimedName), unclaimedName));
        const [d, u] = [instanceResources(deadName), instanceResources(unclaimedName)];
        assert.ok(leftSomething(d) && d.claims.length === 1 && d.processes.length === 1, `the killed instance left resources: ${JSON.stringify(d)}`);
        assert.ok(leftSomething(u) && u.claims.length === 0 && u.processes.length === 1, `the unclaimed instance left resources: ${JSON.stringify(u)}`);
        return instanceResources(liveName);
      });
      assert.ok(leftSomething(liveBefore));

      const driver = await NamespaceSandboxDriver.open({ instanceName: newName, network: 'bridge', preparedNetworkSlots: 1 });
      try {
        assert.deepEqual(instanceResources(deadName), NOTHING, 'nothing of the killed instance remains');
        assert.deepEqual(instanceResources(unclaimedName), NOTHING, 'nothing of the instance without a claim remains');
        await Promise.all(orphans.map((o) => (o.signalCode === null ? once(o, 'exit') : undefined)));
        assert.deepEqual(orphans.map((o) => o.signalCode), ['SIGKILL', 'SIGKILL'], 'the processes left in their cgroups were killed');
        const liveAfter = instanceResources(liveName);
        const { netns, ...rest } = liveAfter;
        const { netns: netnsBefore, ...restBefore } = liveBefore;
        assert.deepEqual(rest, restBefore, 'the live instance keeps its processes, cgroups, devices, chains, address, state and claim');
        assert.ok(netnsBefore.every((n) => netns.includes(n)), 'the live instance keeps its network namespaces');

        const hello = await startPython(driver, 'import os, urllib.request; urllib.request.urlopen("http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/next").read()');
        await hello.finish();
        assert.deepEqual(await hello.box.exited, { code: 0, signal: null, oomKilled: false }, hello.output());
        assert.equal(hello.peers.length, 1, 'a sandbox of the new instance reaches its Runtime API');
      } finally {
        await driver.close();
      }
      assert.deepEqual(instanceResources(newName), NOTHING);
    } finally {
      await Promise.all([live, dead, unclaimed, ...orphans].map(kill));
      // the live one is dead now too: the next start reaps it
      await (await NamespaceSandboxDriver.open({ instanceName: uniqueInstanceName(), network: 'isolated', preparedNetworkSlots: 0 })).close();
    }
    assert.deepEqual(instanceResources(liveName), NOTHING);
  });
});
