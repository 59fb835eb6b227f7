import type { SandboxLimits } from './sandbox/sandbox-driver.ts';

/** Memory at which a function gets one full vCPU, as in Lambda. */
export const MB_PER_VCPU = 1769;
/** Process and thread cap of one sandbox (Lambda allows 1024). */
export const SANDBOX_PIDS_MAX = 1024;

/**
 * The limits a function version's sandbox runs with: memory as configured, CPU
 * proportional to memory (1769 MB = 1000 millicpu) capped by the machine's CPUs,
 * /tmp as EphemeralStorage.
 */
export function limitsFor(memorySizeMb: number, ephemeralStorageMb: number, machineCpus: number): SandboxLimits {
  const cpuMillis = Math.max(1, Math.min(Math.round((memorySizeMb * 1000) / MB_PER_VCPU), machineCpus * 1000));
  return { memoryMb: memorySizeMb, cpuMillis, pidsMax: SANDBOX_PIDS_MAX, tmpSizeMb: ephemeralStorageMb };
}
