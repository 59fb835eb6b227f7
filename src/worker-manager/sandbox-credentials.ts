import type { FunctionVersionConfig, HostSandbox, SandboxCredentials } from '../model/index.ts';

/**
 * Mints each new sandbox's execution-role credentials (main.ts plugs in the auth component's
 * ExecutionCredentials). Minted before placement (placement and createSandbox run without a
 * yield in between), ended when the sandbox is destroyed or fails to start.
 */
export interface SandboxCredentialIssuer {
  issue(version: FunctionVersionConfig): Promise<IssuedCredentials>;
}

export interface IssuedCredentials {
  readonly credentials: SandboxCredentials;
  /** Ends the credentials at once. Idempotent; never rejects. */
  revoke(): Promise<void>;
}

/**
 * `sandbox`, whose credentials end when it is destroyed: revoked as the destroy starts (so nothing
 * the sandbox does while it is torn down is accepted, and a sandbox the worker manager no longer
 * lists has no live credentials); the destroy settles once both the teardown and the revoke have.
 */
export function revokingOnDestroy(sandbox: HostSandbox, issued: IssuedCredentials): HostSandbox {
  return {
    get id() {
      return sandbox.id;
    },
    get hostId() {
      return sandbox.hostId;
    },
    get alive() {
      return sandbox.alive;
    },
    get memoryMb() {
      return sandbox.memoryMb;
    },
    get initError() {
      return sandbox.initError;
    },
    invoke: (request) => sandbox.invoke(request),
    destroy: async (reason) => {
      const revoked = issued.revoke();
      try {
        await sandbox.destroy(reason);
      } finally {
        await revoked;
      }
    },
  };
}
