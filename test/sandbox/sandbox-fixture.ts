/**
 * Real namespace sandboxes for integration tests: a driver with a unique instance
 * name, a stub Runtime API per sandbox that records who connects, and Python
 * programs run inside (/usr/bin/python3 is visible through the read-only /usr).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { NamespaceSandboxDriver, type NamespaceSandboxDriverOptions } from '../../src/worker-host/sandbox/namespace-sandbox-driver.ts';
import type { NamespaceSandbox } from '../../src/worker-host/sandbox/namespace-sandbox.ts';
import type { SandboxLimits } from '../../src/worker-host/sandbox/sandbox-driver.ts';
import { detectSandboxSupport } from '../../src/worker-host/sandbox/detect-sandbox-support.ts';
import { requirePrerequisite } from '../helpers/prerequisite.ts';
import { listenOnBinding } from '../helpers/runtime-api-binding.ts';

/** Skip reason for suites that need real namespace sandboxes (root, bubblewrap, cgroups, iptables...), or false; under CI a failure. */
export const SKIP_WITHOUT_SANDBOXES: string | false = (() => {
  const missing = detectSandboxSupport().missing;
  return requirePrerequisite('namespace sandbox support', missing.length === 0, missing.join('; '));
})();

export const PYTHON = '/usr/bin/python3';
export const LIMITS: SandboxLimits = { memoryMb: 128, cpuMillis: 500, pidsMax: 64, tmpSizeMb: 16 };

export function uniqueInstanceName(): string {
  return `t${randomBytes(4).toString('hex').slice(0, 7)}`;
}

export async function openDriver(options: Partial<NamespaceSandboxDriverOptions> = {}): Promise<NamespaceSandboxDriver> {
  return NamespaceSandboxDriver.open({ instanceName: uniqueInstanceName(), network: 'bridge', preparedNetworkSlots: 1, ...options });
}

/** A started sandbox with its stub Runtime API and captured output. */
export interface Started {
  readonly box: NamespaceSandbox;
  readonly api: Server;
  /** Remote addresses of the connections the stub Runtime API accepted. */
  readonly peers: string[];
  output(): string;
  /** Lines of stdout parsed as JSON (others skipped). */
  json<T = Record<string, unknown>>(): T[];
  /** Waits for the sandbox's runtime to exit, then destroys it. */
  finish(timeoutMs?: number): Promise<void>;
}

let counter = 0;

export async function startPython(driver: NamespaceSandboxDriver, script: string, options: { limits?: SandboxLimits; env?: Record<string, string>; runtimeMounts?: Record<string, string> } = {}): Promise<Started> {
  const peers: string[] = [];
  const api = createServer((req, res) => {
    peers.push(req.socket.remoteAddress ?? '');
    res.end(JSON.stringify({ you: req.socket.remoteAddress }));
  });
  api.unref(); // a test that fails before finish() must not keep its file's process alive
  const box = (await driver.start(
    {
      id: `s${process.pid}x${counter++}`,
      runtimeMounts: options.runtimeMounts ?? {},
      command: [PYTHON, '-u', '-c', script],
      env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', ...options.env },
      limits: options.limits ?? LIMITS,
    },
    {
      bindRuntimeApi: (binding) => listenOnBinding(api, binding),
    },
  )) as NamespaceSandbox;
  let out = '';
  box.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  box.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  return {
    box,
    api,
    peers,
    output: () => out,
    json: <T>() => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as T),
    finish: async (timeoutMs = 15_000) => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([box.exited, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
      await box.destroy();
      api.close();
    },
  };
}

const createdDirs: string[] = [];

/** A world-readable directory of files, as the worker host's code cache provides; `writable` opens permissions to show that only the mount stops writes. */
export function codeDir(files: Record<string, string>, { writable = false } = {}): string {
  const dir = mkdtempSync('/tmp/flint-sandbox-test-code-');
  if (createdDirs.length === 0) process.once('exit', () => createdDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  createdDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const path = `${dir}/${name}`;
    const parent = path.slice(0, path.lastIndexOf('/'));
    mkdirSync(parent, { recursive: true });
    for (let d = parent; d.length > dir.length; d = d.slice(0, d.lastIndexOf('/'))) chmodSync(d, writable ? 0o777 : 0o755);
    writeFileSync(path, content);
    chmodSync(path, writable ? 0o666 : 0o644);
  }
  chmodSync(dir, writable ? 0o777 : 0o755);
  return dir;
}

/** Python prelude: `emit(**fields)` prints one JSON line; `attempt(fn)` returns "ok" or the error's name. */
export const PRELUDE = `
import json, os, sys, time, errno
def emit(**kw): print(json.dumps(kw), flush=True)
def attempt(fn):
    try:
        fn()
        return "ok"
    except OSError as e:
        return errno.errorcode.get(e.errno, type(e).__name__)
    except Exception as e:
        return type(e).__name__
def connect(host, port, timeout=0.5):
    import socket
    socket.create_connection((host, int(port)), timeout=timeout).close()
def fetch(url, timeout=2):
    import urllib.request
    return urllib.request.urlopen(url, timeout=timeout).read().decode()
def wait_for(path, timeout=5):
    end = time.time() + timeout
    while not os.path.exists(path) and time.time() < end: time.sleep(0.005)
`;
