// @ts-check
/**
 * A function whose environment sets what Node reads only as it starts (NODE_OPTIONS,
 * NODE_EXTRA_CA_CERTS, ...) or names a wrapper script (AWS_LAMBDA_EXEC_WRAPPER) cannot run in the
 * process a cell started before it knew the function: Lambda starts its runtime with the function's
 * environment. Such a cell starts the runtime again, in the same process (execve: same pid, same
 * stdio, same sandbox), through the wrapper if there is one, with the function's environment. The
 * new runtime finds `_HANDLER` set at its start and goes straight to its init phase.
 *
 * Node 20 has no `process.execve`: there the new runtime is a child process and this one stays
 * only to pass on its exit and the signals it is sent.
 */
const { accessSync, constants } = process.getBuiltinModule('node:fs');
const { spawn } = process.getBuiltinModule('node:child_process');
const os = process.getBuiltinModule('node:os');

/**
 * Variables Node (and libuv, OpenSSL, ICU's default locale) read only as the process starts, and
 * the wrapper. A change of any other variable takes effect in the running process (NODE_PATH is
 * re-read there, and Node resets its time zone when TZ is set).
 */
export const START_VARIABLES = [
  'AWS_LAMBDA_EXEC_WRAPPER',
  'LANG',
  'LC_ALL',
  'LC_MESSAGES',
  'NODE_EXTRA_CA_CERTS',
  'NODE_ICU_DATA',
  'NODE_NO_WARNINGS',
  'NODE_OPTIONS',
  'NODE_PENDING_DEPRECATION',
  'NODE_PRESERVE_SYMLINKS',
  'NODE_REDIRECT_WARNINGS',
  'NODE_V8_COVERAGE',
  'OPENSSL_CONF',
  'UV_THREADPOOL_SIZE',
];

/**
 * The start variables whose value in `env` differs from this process's own.
 * @param {Readonly<Record<string, string>>} env the function's environment
 * @param {NodeJS.ProcessEnv} own the environment this process started with
 * @returns {string[]}
 */
export function startVariablesChanged(env, own) {
  return START_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== own[name]);
}

/**
 * The specialization a restarted runtime started with (its function's environment is already its
 * own); undefined in a cell that has yet to ask for one.
 * @returns {{env: Record<string, string>, handler: string} | undefined}
 */
export function startedSpecialization() {
  const handler = process.env['_HANDLER'];
  return handler === undefined ? undefined : { env: {}, handler };
}

/**
 * Why the wrapper cannot be run, as Lambda words a failed exec; undefined when it can.
 * @param {string} wrapper
 * @returns {string | undefined}
 */
export function wrapperProblem(wrapper) {
  if (!wrapper.startsWith('/')) return `fork/exec ${wrapper}: no such file or directory`;
  try {
    accessSync(wrapper, constants.X_OK);
    return undefined;
  } catch (err) {
    const code = /** @type {NodeJS.ErrnoException} */ (err).code;
    return `fork/exec ${wrapper}: ${code === 'ENOENT' ? 'no such file or directory' : 'permission denied'}`;
  }
}

/**
 * Starts the runtime again with `env`: this process's own command line, behind the wrapper if
 * `env` names one (checked with wrapperProblem first). Does not return with execve; with the
 * Node 20 fallback it returns, and this process then only waits for the child.
 * @param {Record<string, string>} env
 */
export function restartRuntime(env) {
  const command = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const wrapper = env['AWS_LAMBDA_EXEC_WRAPPER'];
  const [file, ...args] = wrapper ? [wrapper, ...command] : command;
  if (typeof process.execve === 'function') {
    process.execve(/** @type {string} */ (file), [/** @type {string} */ (file), ...args], env);
  }
  const child = spawn(/** @type {string} */ (file), args, { env, stdio: 'inherit' });
  for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT', 'SIGHUP'])) process.on(signal, () => child.kill(signal));
  child.on('error', () => process.exit(1));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
}
