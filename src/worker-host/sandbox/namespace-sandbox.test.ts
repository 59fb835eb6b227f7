import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import type { BwrapStatus } from './bwrap-status.ts';
import type { SandboxCgroup } from './cgroups.ts';
import { NamespaceSandbox, type NamespaceSandboxParts, type SupervisorControl } from './namespace-sandbox.ts';
import type { HelperServer } from './helper-server.ts';

/**
 * A sandbox over stand-ins: `sleep` plays the helper and the supervisor (pid 1, no
 * children), and the test reports the supervisor's exit statuses itself.
 */
function sandboxWhoseRuntimeAlreadyEnded(): { sandbox: NamespaceSandbox; reportExit: (status: number) => void; stop: () => void } {
  const child = spawn('sleep', ['30'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const listeners: ((status: number) => void)[] = [];
  const control: SupervisorControl = { send: () => undefined, onExit: (l) => listeners.push(l), closed: false, close: () => undefined };
  const status = { childPidReady: Promise.resolve(child.pid!), exitCode: new Promise<number | undefined>(() => undefined), childPid: child.pid } as unknown as BwrapStatus;
  const cgroup = { procsFiles: [], apply: () => undefined, oomKills: () => 0 } as unknown as SandboxCgroup;
  const parts: NamespaceSandboxParts = {
    id: 'stand-in', child, status, control, cgroup, cgroupMarker: 'flint-stand-in', specializer: {} as HelperServer,
    runtimeApiAddress: '127.0.0.1:9', hostAddress: undefined, address: undefined, release: async () => undefined,
  };
  return { sandbox: new NamespaceSandbox(parts), reportExit: (status) => listeners.forEach((l) => l(status)), stop: () => child.kill('SIGKILL') };
}

test('a runtime that ended before the driver first looked makes a started sandbox whose runtime exited, not a failed start', async () => {
  const { sandbox, reportExit, stop } = sandboxWhoseRuntimeAlreadyEnded();
  try {
    reportExit(7); // the supervisor reaped the runtime before anyone looked for it
    await sandbox.started();
    assert.deepEqual(await sandbox.exited, { code: 7, signal: null, oomKilled: false });
  } finally {
    stop();
  }
});
