/**
 * A driver without isolation, for machines without root or bubblewrap: the
 * runtime runs as an ordinary child process of Flint, with Flint's user and view
 * of the host, and no enforced limits. It says so in `isolation.degraded`.
 *
 * Paths as seen "inside" are translated to host paths: runtime mount targets to
 * their sources, /var/task and /opt to per-sandbox symlinks that `specialize`
 * points at the code and layers. Translation applies to the command, the start
 * environment (also inside colon-separated lists) and the working directory;
 * `taskRoot` tells the worker host where the code is; the runtime must re-enter it
 * after specialisation.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PassThrough, type Readable } from 'node:stream';
import type { CellHooks, CellSpec, IsolationReport, Sandbox, SandboxDriver, SandboxExit, SandboxLimits } from './sandbox-driver.ts';

export const PROCESS_ISOLATION: IsolationReport = {
  driver: 'process',
  namespaces: false,
  cgroups: false,
  seccomp: false,
  network: 'host',
  degraded: [
    'no isolation: functions run as plain child processes with the server\'s user, files, processes and network',
    'memory, CPU, process count and /tmp size limits are not enforced; out-of-memory is not detected',
    'no seccomp filter and no capability drop',
  ],
};

export class ProcessSandboxDriver implements SandboxDriver {
  readonly isolation = PROCESS_ISOLATION;
  /** Sandboxes share the host's network; there is no separate host address. */
  readonly hostAddress = undefined;
  readonly #baseDir: string;
  readonly #live = new Set<ProcessSandbox>();

  /** `stateDir` holds one directory per sandbox; give each Flint instance its own (cleanupStale empties it). */
  constructor(stateDir = `${tmpdir()}/flint-process-sandboxes`) {
    this.#baseDir = stateDir;
    mkdirSync(stateDir, { recursive: true });
  }

  async start(spec: CellSpec, hooks: CellHooks): Promise<Sandbox> {
    const dir = mkdtempSync(`${this.#baseDir}/${spec.id}-`);
    try {
      mkdirSync(`${dir}/empty`);
      symlinkSync(`${dir}/empty`, `${dir}/task`);
      symlinkSync(`${dir}/empty`, `${dir}/opt`);
      const map: [string, string][] = [...Object.entries(spec.runtimeMounts), ['/var/task', `${dir}/task`], ['/opt', `${dir}/opt`]];
      const translate = (value: string) => value.split(':').map((part) => translatePath(map, part)).join(':');
      const runtimeApi = await hooks.bindRuntimeApi({ listenHost: '127.0.0.1' });
      const env = Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, translate(v)]));
      const [file, ...args] = spec.command.map((c) => translatePath(map, c));
      const child = spawn(file!, args, {
        cwd: `${dir}/task`,
        env: { ...env, AWS_LAMBDA_RUNTIME_API: runtimeApi },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // own process group, ended as a whole
      });
      writeFileSync(`${dir}/pid`, `${child.pid} ${startTimeOf(child.pid ?? 0)}`);
      const sandbox = new ProcessSandbox(spec.id, child, dir, runtimeApi, (s) => this.#live.delete(s));
      this.#live.add(sandbox);
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      return sandbox;
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Ends the process groups recorded in sandbox directories left by an earlier run (same pid and start time only). */
  async cleanupStale(): Promise<void> {
    const live = new Set([...this.#live].map((s) => s.dir));
    for (const entry of readdirSync(this.#baseDir)) {
      const dir = `${this.#baseDir}/${entry}`;
      if (live.has(dir)) continue;
      try {
        const [pid, start] = readFileSync(`${dir}/pid`, 'utf8').split(' ');
        if (pid && start && startTimeOf(Number(pid)) === start) process.kill(-Number(pid), 'SIGKILL');
      } catch {
        /* no record, or the process is gone */
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#live].map((s) => s.destroy()));
  }
}

function translatePath(map: readonly (readonly [string, string])[], path: string): string {
  for (const [inside, host] of map) {
    if (path === inside || path.startsWith(`${inside}/`)) return host + path.slice(inside.length);
  }
  return path;
}

function startTimeOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

class ProcessSandbox implements Sandbox {
  readonly id: string;
  readonly pid: number;
  readonly runtimeApiAddress: string;
  /** The per-sandbox symlink that `specialize` points at the code. */
  readonly taskRoot: string;
  readonly hostAddress = undefined;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly exited: Promise<SandboxExit>;
  readonly #child: ChildProcess;
  readonly dir: string;
  readonly #onDestroyed: (s: ProcessSandbox) => void;
  #specialized = false;
  #destroying: Promise<void> | undefined;

  constructor(id: string, child: ChildProcess, dir: string, runtimeApi: string, onDestroyed: (s: ProcessSandbox) => void) {
    this.id = id;
    this.#child = child;
    this.pid = child.pid ?? -1;
    this.dir = dir;
    this.taskRoot = `${dir}/task`;
    this.runtimeApiAddress = runtimeApi;
    // our own buffers: Node drains a child's unread pipes when it exits, which would lose early output
    this.stdout = child.stdout!.pipe(new PassThrough());
    this.stderr = child.stderr!.pipe(new PassThrough());
    this.#onDestroyed = onDestroyed;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, oomKilled: false })));
  }

  async specialize(code: { readonly codeDir: string; readonly layersDir?: string | undefined }, _limits: SandboxLimits): Promise<void> {
    if (this.#specialized) throw new Error(`sandbox ${this.id} is already specialized`);
    this.#specialized = true;
    this.#repoint('task', code.codeDir);
    if (code.layersDir !== undefined) this.#repoint('opt', code.layersDir);
  }

  memoryUsage(): undefined {
    return undefined;
  }

  destroy(): Promise<void> {
    this.#destroying ??= (async () => {
      if (this.#child.exitCode === null && this.#child.signalCode === null) {
        try {
          process.kill(-this.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
        await this.exited;
      }
      rmSync(this.dir, { recursive: true, force: true });
      this.#onDestroyed(this);
    })();
    return this.#destroying;
  }

  #repoint(name: string, target: string): void {
    symlinkSync(target, `${this.dir}/${name}.new`);
    renameSync(`${this.dir}/${name}.new`, `${this.dir}/${name}`);
  }
}
