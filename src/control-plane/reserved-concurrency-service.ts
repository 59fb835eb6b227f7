/**
 * Reserved concurrency of a function (PutFunctionConcurrency,
 * GetFunctionConcurrency, DeleteFunctionConcurrency): validated with Lambda's
 * texts, persisted in `functions.reserved_concurrency`, and applied to the
 * counting service, which enforces it on every invoke.
 */
import { errors } from '../shared/index.ts';
import type { FunctionResolver } from './function-resolver.ts';
import type { ConcurrencyLedger } from './ports.ts';
import type { FunctionStore, ProvisionedConfigStore } from '../storage/index.ts';
import { assertNoViolations, constraint } from './validation-message.ts';

export interface ReservedConcurrencyDeps {
  readonly functions: FunctionStore;
  readonly provisioned: ProvisionedConfigStore;
  readonly resolver: FunctionResolver;
  readonly ledger: ConcurrencyLedger;
}

export class ReservedConcurrencyService {
  readonly #deps: ReservedConcurrencyDeps;

  constructor(deps: ReservedConcurrencyDeps) {
    this.#deps = deps;
  }

  /** PutFunctionConcurrency. Returns the reservation now in force. */
  async put(functionName: string, reserved: number | undefined): Promise<number> {
    const member = 'reservedConcurrentExecutions';
    if (reserved === undefined) assertNoViolations([{ value: reserved, member, constraint: constraint.notNull() }]);
    if (reserved! < 0) assertNoViolations([{ value: reserved, member, constraint: constraint.min(0) }]);
    const name = this.#deps.resolver.unqualified(functionName);
    const fn = await this.#deps.functions.getFunction(name);
    if (fn === undefined) throw this.#deps.resolver.notFound(name, '$LATEST');
    const provisioned = await this.#deps.provisioned.total(name);
    const previous = fn.reservedConcurrency;
    this.#deps.ledger.setReservation(name, reserved);
    if (provisioned > reserved!) {
      this.#deps.ledger.setReservation(name, previous, { enforceMinimum: false });
      throw errors.invalidParameter(` ReservedConcurrentExecutions  ${reserved} should not be lower than function's total provisioned concurrency [${provisioned}].`);
    }
    await this.#deps.functions.setReservedConcurrency(name, reserved);
    return reserved!;
  }

  /** GetFunctionConcurrency: undefined when the function has no reservation. */
  async get(functionName: string): Promise<number | undefined> {
    const name = this.#deps.resolver.unqualified(functionName);
    const fn = await this.#deps.functions.getFunction(name);
    if (fn === undefined) throw this.#deps.resolver.notFound(name);
    return fn.reservedConcurrency;
  }

  /** DeleteFunctionConcurrency. */
  async delete(functionName: string): Promise<void> {
    const name = this.#deps.resolver.unqualified(functionName);
    if (!(await this.#deps.functions.setReservedConcurrency(name, undefined))) throw this.#deps.resolver.notFound(name);
    this.#deps.ledger.setReservation(name, undefined);
  }

  /** Loads every stored reservation and provisioned total into the counting service (at start). */
  async restore(): Promise<void> {
    for (const { name, reserved } of await this.#deps.functions.reservations()) this.#deps.ledger.setReservation(name, reserved, { enforceMinimum: false });
    const totals = new Map<string, number>();
    for (const c of await this.#deps.provisioned.list()) totals.set(c.functionName, (totals.get(c.functionName) ?? 0) + c.requested);
    for (const [name, total] of totals) this.#deps.ledger.setProvisioned(name, total);
  }

  /** A deleted function gives its share back. */
  forget(functionName: string): void {
    this.#deps.ledger.setReservation(functionName, undefined);
    this.#deps.ledger.setProvisioned(functionName, 0);
  }
}
