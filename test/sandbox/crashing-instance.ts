/** Child process for the crash test: opens a driver named argv[2], starts sandboxes, says "ready", waits to be killed. */
import { createServer } from 'node:http';
import { NamespaceSandboxDriver } from '../../src/worker-host/sandbox/namespace-sandbox-driver.ts';
import { listenOnBinding } from '../helpers/runtime-api-binding.ts';

// nothing prepared ahead: what it leaves is its three sandboxes' (a start being prepared when it is killed would make that vary)
const driver = await NamespaceSandboxDriver.open({ instanceName: process.argv[2]!, network: 'bridge', preparedNetworkSlots: 0 });
for (let i = 0; i < 3; i++) {
  const api = createServer();
  await driver.start(
    { id: `crash${i}`, runtimeMounts: {}, command: ['/bin/sleep', '600'], env: {}, limits: { memoryMb: 64, cpuMillis: 100, pidsMax: 16, tmpSizeMb: 1 } },
    { bindRuntimeApi: (b) => listenOnBinding(api, b) },
  );
}
process.stdout.write('ready\n');
setInterval(() => undefined, 1000);
