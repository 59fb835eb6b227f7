import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { HelperServer } from './helper-server.ts';

// A path that cannot be spawned: a request that tried to start a server would fail with ENOENT instead.
const NO_HELPER = '/nonexistent/flint-sandbox-helper';
const NETWORK = { netnsPath: '/run/netns/x', address: '169.254.1.2', gateway: '169.254.1.1', gatewayMac: '02:00:00:00:00:01', mode: 'bridge' } as const;

test('a closed helper server refuses requests instead of starting a server nobody would end', async () => {
  const server = new HelperServer(NO_HELPER);
  server.close();
  server.warm();
  await assert.rejects(server.configureNetwork(NETWORK), /sandbox helper is closed/);
  await assert.rejects(server.specialize({ pid: 1, taskDir: '/var/task', tmpSizeBytes: 1 }), /sandbox helper is closed/);
});

test('an open helper server starts its process for a request', async () => {
  const server = new HelperServer(NO_HELPER);
  try {
    await assert.rejects(server.configureNetwork(NETWORK), /sandbox helper failed: .*ENOENT/);
  } finally {
    server.close();
  }
});
