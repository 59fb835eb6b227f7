// @ts-check
/**
 * Flint's Node.js runtime client, the main process of a `nodejs*` sandbox. Runs on Node 20, 22
 * and 24 with Node built-ins only.
 *
 * A cell starts function-agnostic: it loads its own modules and long-polls Flint's
 * `GET /2018-06-01/flint/specialize` for the function's environment and handler (a cell left
 * waiting in the pool warms Node's lazy parts up, loads common built-ins and rehearses invocations
 * meanwhile). It then applies that environment (a function whose environment Node reads only at
 * start, or with a wrapper script, restarts the runtime first: process-restart.mjs), changes to
 * LAMBDA_TASK_ROOT (/var/task), loads
 * the handler (the init phase) and enters the standard Runtime API loop. Init failures go to
 * /init/error, uncaught exceptions and unhandled rejections to /error (or /init/error during init);
 * the process then exits, as AWS's runtime client does.
 *
 * Built-ins are taken with `process.getBuiltinModule` in every module of the client, not imported:
 * an ES import of a built-in builds its module namespace, which reads every lazy export (`node:util`
 * alone loads a dozen internal modules that way, ~4.5 ms of CPU); a cell's start paid ~7 ms for it.
 *
 * Test note: LAMBDA_TASK_ROOT comes from the specialization, so tests running the client as a plain
 * child process point it at a temporary directory instead of /var/task.
 */
import { RapidClient } from './rapid-client.mjs';
import { InvalidEntrypoint, toRapidResponse, UnhandledPromiseRejection } from './errors.mjs';
import { InvokeLoop } from './invoke-loop.mjs';
import { logError, patchConsole } from './log-patch.mjs';
import { loadHandler } from './user-function.mjs';
import { installAwsLambdaGlobal } from './streaming.mjs';
import { rehearseInvocations } from './rehearsal.mjs';
import { restartRuntime, startedSpecialization, startVariablesChanged, wrapperProblem } from './process-restart.mjs';

const Module = process.getBuiltinModule('node:module');
const { createRequire } = Module;
const { fileURLToPath } = process.getBuiltinModule('node:url');

const client = new RapidClient(process.env['AWS_LAMBDA_RUNTIME_API'] ?? '127.0.0.1:9001');
/** Request id uncaught errors are reported against; undefined during init. */
const errorScope = { requestId: /** @type {string | undefined} */ (undefined) };

async function main() {
  // a runtime restarted with its function's environment (process-restart.mjs) has it already
  const init = startedSpecialization() ?? (await warmUpWhileWaiting(client.specialization()));
  const restart = startVariablesChanged(init.env, process.env).length > 0;
  applyEnvironment(init.env);
  const taskRoot = process.env['LAMBDA_TASK_ROOT'] ?? '/var/task';
  process.chdir(taskRoot);
  if (restart) {
    const wrapper = process.env['AWS_LAMBDA_EXEC_WRAPPER'];
    const problem = wrapper === undefined ? undefined : wrapperProblem(wrapper);
    if (problem !== undefined) {
      report(new InvalidEntrypoint(problem), 'Runtime failed to start', 1);
      return;
    }
    restartRuntime(/** @type {Record<string, string>} */ ({ ...process.env })); // in /var/task, where Lambda starts it
    return;
  }
  patchConsole();
  installErrorHooks();
  installAwsLambdaGlobal();
  let handler;
  try {
    handler = await loadHandler(taskRoot, init.handler);
  } catch (err) {
    report(err, 'Uncaught Exception', 129);
    return;
  }
  new InvokeLoop(client, handler, errorScope).run();
}

/**
 * Resolves with the specialization, asked for at once. A cell started for a cold start that is
 * waiting on it (specialised within WARM_UP_AFTER_MS) goes straight to the handler: warming up
 * would only put work the first invocation does anyway in front of it. A cell that waits in the
 * pool spends the wait running the lazily-initialised parts of Node once (the ES module and
 * CommonJS loaders with the handler lookup), loading PRELOADED_BUILTINS, initialising OpenSSL's
 * random generator and digests (initCrypto), then rehearsing
 * invocations (rehearsal.mjs), so that specialization to first answer is quick; one step per turn
 * of the event loop, stopping at the turn the specialization arrives (the rehearsal checks between
 * its invocations).
 * @template T
 * @param {Promise<T>} specialization
 * @returns {Promise<T>}
 */
async function warmUpWhileWaiting(specialization) {
  let arrived = false;
  const settled = () => {
    arrived = true;
  };
  specialization.then(settled, settled);
  await Promise.race([specialization.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, WARM_UP_AFTER_MS))]);
  const require = createRequire(import.meta.url);
  const warmDir = fileURLToPath(new URL('./warm/', import.meta.url));
  /** @type {Function | undefined} */
  let probe;
  /** @type {(() => unknown)[]} */
  const steps = [
    async () => (probe = await loadHandler(warmDir, 'probe.handler')), // handler lookup + ES module loader
    () => require('./warm/probe.cjs'), // CommonJS loader
    ...PRELOADED_BUILTINS.map((name) => () => require(name)),
    initCrypto,
    async () => probe && (await rehearseInvocations(probe, REHEARSED_INVOCATIONS, specialization)),
  ];
  for (const step of steps) {
    if (arrived) break;
    try {
      await step();
    } catch {
      // warm-up only
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return specialization;
}

/**
 * Node built-ins that are not in Node's startup snapshot and that most functions load at their
 * init (randomUUID and hashing; the AWS SDK's HTTP handlers): ~5-10 ms of CPU together.
 */
const PRELOADED_BUILTINS = ['node:crypto', 'node:http', 'node:https'];
/**
 * The first random UUID, SHA-256 hash and HMAC of a process initialise OpenSSL's random generator
 * and fetch its digest implementations: ~0.2-0.4, ~0.5-0.7 and ~0.2-0.4 ms of CPU here. Most
 * functions pay them at init or in their first invocation (ids; the AWS SDK's invocation ids and
 * request signing). The generator's state stays in this process, which serves one sandbox only
 * (a cell is never forked or shared).
 */
function initCrypto() {
  const { createHash, createHmac, randomUUID } = process.getBuiltinModule('node:crypto');
  randomUUID();
  createHash('sha256').update('flint').digest();
  createHmac('sha256', 'flint').update('flint').digest();
}
/** A cell specialised this soon after it asked was started for a waiting cold start: it warms nothing up. */
const WARM_UP_AFTER_MS = 20;
/**
 * Invocations a cell waiting in the pool rehearses (~25 ms of CPU): enough for V8 to have compiled the
 * invoke path to baseline code, not so many that Maglev optimises it on the rehearsal's feedback and
 * the first real invocations deoptimise it (bench/pool-cell-first-invokes.ts, docs/performance.md).
 */
const REHEARSED_INVOCATIONS = 50;

/**
 * Sets the function's environment, writing only the variables whose value differs: the cell started
 * with the runtime's base variables (PATH, LANG, TZ...), and a write of TZ, even of the value it has,
 * makes Node re-detect the time zone (~0.4 ms of a pooled cold start, measured in a cell after it waited).
 * @param {Record<string, string>} env
 */
function applyEnvironment(env) {
  const nodePath = process.env['NODE_PATH'];
  for (const [key, value] of Object.entries(env)) {
    if (process.env[key] !== value) process.env[key] = value;
  }
  if (process.env['NODE_PATH'] !== nodePath) /** @type {any} */ (Module)._initPaths?.();
}

function installErrorHooks() {
  process.on('uncaughtException', (error) => report(error, 'Uncaught Exception', 129));
  process.on('unhandledRejection', (reason) => {
    report(new UnhandledPromiseRejection(String(reason)), 'Unhandled Promise Rejection', 128);
  });
}

let reporting = false;
/**
 * Logs and reports a fatal error to /error (during an invocation) or /init/error, then exits.
 * @param {unknown} error
 * @param {string} title
 * @param {number} exitCode
 */
function report(error, title, exitCode) {
  if (reporting) return;
  reporting = true;
  logError(title, error);
  const doc = toRapidResponse(error);
  const posted = errorScope.requestId === undefined
    ? client.postInitError(doc)
    : client.postInvocationError(errorScope.requestId, doc);
  posted.catch(() => {}).finally(() => process.exit(exitCode));
}

main().catch((err) => {
  process.stderr.write(`flint runtime: ${err?.stack ?? err}\n`);
  process.exit(1);
});
