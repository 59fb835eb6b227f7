/**
 * Classifies how a sandbox's runtime ended into Lambda's platform error types
 * (the texts the Invoke caller sees after `RequestId: <id> Error: `).
 */
import type { SandboxExit } from './sandbox/sandbox-driver.ts';

export interface PlatformFailure {
  readonly errorType: string;
  readonly errorMessage: string;
}

export function exitFailure(exit: SandboxExit): PlatformFailure {
  if (exit.oomKilled) return { errorType: 'Runtime.OutOfMemory', errorMessage: 'Runtime exited with error: signal: killed' };
  if (exit.signal !== null) return { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: signal: ${signalName(exit.signal)}` };
  if (exit.code === 0 || exit.code === null) return { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' };
  return { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${exit.code}` };
}

export function timeoutFailure(timeoutSec: number): PlatformFailure {
  return { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${timeoutSec.toFixed(2)} seconds` };
}

/** Go's names for signals, which Lambda's messages use (`signal: killed`). */
function signalName(signal: string): string {
  const names: Record<string, string> = { SIGKILL: 'killed', SIGTERM: 'terminated', SIGSEGV: 'segmentation fault', SIGABRT: 'aborted', SIGINT: 'interrupt', SIGBUS: 'bus error' };
  return names[signal] ?? signal.toLowerCase();
}
