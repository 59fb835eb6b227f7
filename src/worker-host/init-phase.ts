/** The init phase of a runtime, shared by a new sandbox and a runtime restarted in one. */
import type { RuntimeSessionHandle } from './runtime-api/index.ts';
import type { SandboxLimits } from './sandbox/sandbox-driver.ts';

/** Waits for the runtime's init; answers the errorType of a failed init (the session keeps it for the next invoke). */
export async function awaitInit(session: RuntimeSessionHandle, initTimeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => {
      session.fail({ errorType: 'Sandbox.Timedout', errorMessage: `Init phase timed out after ${(initTimeoutMs / 1000).toFixed(2)} seconds` });
      resolve('Sandbox.Timedout');
    }, initTimeoutMs);
  });
  const ready = session.ready().then(
    () => undefined,
    (err: unknown) => (err as { errorType?: string }).errorType ?? 'Runtime.Unknown',
  );
  try {
    return await Promise.race([ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The init phase runs with at least one full CPU (the function's memory and other limits stay), as in Lambda. */
export function initPhaseLimits(limits: SandboxLimits): SandboxLimits {
  return { ...limits, cpuMillis: Math.max(limits.cpuMillis, FULL_CPU_MILLIS) };
}

const FULL_CPU_MILLIS = 1000;
