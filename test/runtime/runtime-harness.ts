/**
 * Runs a real runtime client (node 20/22/24, python3, a provided bootstrap) as a plain child
 * process against a real RuntimeApiServer: no sandbox. Paths the cell template gives as seen in a
 * sandbox (/var/lang/bin, /var/runtime) are translated to their host directories, and the
 * function's LAMBDA_TASK_ROOT is a temporary directory holding the handler files instead of /var/task.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FunctionResult } from '../../src/model/index.ts';
import type { RuntimeApiServer, Invocation, RuntimeSessionHandle } from '../../src/worker-host/runtime-api/index.ts';
import {
  RuntimeStore, buildFunctionEnvironment, defaultRuntimePaths, logStreamName,
} from '../../src/worker-host/runtimes/index.ts';

export interface FunctionUnderTest {
  readonly session: RuntimeSessionHandle;
  readonly taskRoot: string;
  readonly child: ChildProcess;
  /** Every stdout line so far (function log). */
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  /** Delivers the function environment and handler (done at start unless `deferSpecialize`). */
  specialize(): void;
  invoke(event: unknown, extra?: Partial<Invocation>): Promise<FunctionResult & { requestId: string }>;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly server: RuntimeApiServer;
  readonly runtime: string;
  readonly handler: string;
  readonly files: Readonly<Record<string, string>>;
  readonly userVariables?: Readonly<Record<string, string>>;
  readonly memorySizeMb?: number;
  readonly functionName?: string;
  /** LoggingConfig LogFormat JSON with this application log level. */
  readonly jsonLogLevel?: string;
  /** Do not specialize yet (for tests that drive the session by hand). */
  readonly deferSpecialize?: boolean;
  /** Node options put before the runtime client's script (a node runtime only), e.g. `--cpu-prof`. */
  readonly nodeOptions?: readonly string[];
}

const store = new RuntimeStore(defaultRuntimePaths());
let counter = 0;

export async function startFunction(options: StartOptions): Promise<FunctionUnderTest> {
  const resolved = store.resolve(options.runtime);
  if (!resolved.ok) throw new Error(resolved.message);
  const { template, definition } = resolved.runtime;
  const taskRoot = await mkdtemp(join(tmpdir(), 'flint-runtime-test-'));
  // the function's own /tmp, as a sandbox has (TMPDIR): what the runtime or the function leaves there goes at close
  const functionTmp = await mkdtemp(join(tmpdir(), 'flint-runtime-test-tmp-'));
  for (const [name, content] of Object.entries(options.files)) {
    const file = join(taskRoot, name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
    if (name === 'bootstrap' || name.endsWith('.sh')) await chmod(file, 0o755);
  }
  const toHost = (path: string): string => {
    for (const [target, host] of Object.entries(template.runtimeMounts)) {
      if (path === target || path.startsWith(`${target}/`)) return host + path.slice(target.length);
    }
    return path;
  };
  const sandboxId = `test-${process.pid}-${++counter}`;
  const session = options.server.open(sandboxId);
  const address = await options.server.bind(sandboxId, { listenHost: '127.0.0.1' });
  const [command, ...args] = template.command.map(toHost);
  if (options.nodeOptions) args.splice(-1, 0, ...options.nodeOptions);
  // its own process group, so that close() ends what the runtime started too (a bootstrap's curl)
  const child = spawn(command!, args, {
    detached: true,
    cwd: taskRoot,
    env: { ...template.env, LAMBDA_TASK_ROOT: taskRoot, AWS_LAMBDA_RUNTIME_API: address },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  collectLines(child.stdout!, stdout);
  collectLines(child.stderr!, stderr);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      session.fail({
        errorType: 'Runtime.ExitError',
        errorMessage: code === 0 || code === null
          ? 'Runtime exited without providing a reason'
          : `Runtime exited with error: exit status ${code}`,
      });
      resolve({ code, signal });
    });
  });
  const functionName = options.functionName ?? 'test-function';
  const env = buildFunctionEnvironment({
    runtime: definition,
    baseEnv: template.env,
    functionName,
    version: '$LATEST',
    handler: options.handler,
    memorySizeMb: options.memorySizeMb ?? 256,
    region: 'us-east-1',
    userVariables: { TMPDIR: functionTmp, ...options.userVariables },
    logStreamName: logStreamName(Date.now(), '$LATEST', randomBytes(16).toString('hex')),
    taskRoot,
    ...(options.jsonLogLevel !== undefined ? { logFormat: 'JSON' as const, applicationLogLevel: options.jsonLogLevel } : {}),
  });
  const specialize = () => session.specialize({ env, handler: options.handler });
  if (!options.deferSpecialize) specialize();
  return {
    session, taskRoot, child, stdout, stderr, exited, specialize,
    async invoke(event, extra = {}) {
      const requestId = extra.requestId ?? randomUUID();
      const outcome = await session.invoke({
        requestId,
        payload: Buffer.from(JSON.stringify(event)),
        deadlineMs: Date.now() + 30_000,
        invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
        ...extra,
      });
      return { ...outcome, requestId };
    },
    async close() {
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the runtime and whatever it left running
      } catch {
        // the group is gone already
      }
      await exited;
      session.close();
      // a process of the group may still be ending, its last file in the directory: rm retries ENOTEMPTY
      await rm(taskRoot, { recursive: true, force: true, maxRetries: 5 });
      await rm(functionTmp, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

function collectLines(stream: NodeJS.ReadableStream, into: string[]): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    into.push(...parts);
  });
}

/** Payload as parsed JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON documents
export function json(outcome: FunctionResult): any {
  return JSON.parse(outcome.payload.toString('utf8'));
}
