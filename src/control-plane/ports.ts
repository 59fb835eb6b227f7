/** What the control plane needs from other components (wired in main.ts). */

/**
 * The counting service's ledger of concurrency shares. The control plane keeps
 * it in step with what it stores: reserved concurrency per function (restored at
 * start), and each function's total provisioned concurrency.
 */
export interface ConcurrencyLedger {
  /**
   * Sets (undefined: removes) a function's reservation. Throws Lambda's
   * InvalidParameterValueException when it would leave less than the minimum
   * unreserved, unless `enforceMinimum` is false (restoring at start).
   */
  setReservation(functionName: string, reserved: number | undefined, options?: { readonly enforceMinimum?: boolean }): void;
  /** Sets a function's total provisioned concurrency (0: none). */
  setProvisioned(functionName: string, total: number): void;
  /** The account limit less every function's share: GetAccountSettings' UnreservedConcurrentExecutions. */
  unreservedLimit(): number;
  readonly limits: { readonly accountLimit: number; readonly minUnreserved: number };
}
