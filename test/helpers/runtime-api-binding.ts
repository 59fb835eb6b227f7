/**
 * A test's own stand-in for the Runtime API server behind a driver's `bindRuntimeApi` hook:
 * listens where the binding says (on the handed-over sandbox listener, or on an ephemeral
 * port of `listenHost`) and returns the `host:port` the sandbox is told.
 */
import type { AddressInfo, Server } from 'node:net';
import type { RuntimeApiBinding } from '../../src/worker-host/sandbox/sandbox-driver.ts';

export async function listenOnBinding(server: Server, binding: RuntimeApiBinding): Promise<string> {
  if ('listener' in binding) {
    await new Promise<void>((resolve) => server.listen(binding.listener, resolve));
    return binding.address;
  }
  await new Promise<void>((resolve) => server.listen(0, binding.listenHost, resolve));
  return `${binding.listenHost}:${(server.address() as AddressInfo).port}`;
}

/** A hook for starts meant to fail before the runtime runs: closes a listener it is given. */
export function refuseBinding(binding: RuntimeApiBinding): Promise<string> {
  if ('listener' in binding) binding.listener.close();
  return Promise.resolve('127.0.0.1:9');
}
