/**
 * Reserved concurrency of a function (PutFunctionConcurrency,
 * GetFunctionConcurrency, DeleteFunctionConcurrency): validated with Lambda's
 * texts, persisted in `functions.reserved_concurrency`, and applied to the
 * counting service, which enforces it on every invoke. Each change is published on the
 * change feed, so that the counting service of every front end sharing the storage follows.
 */
import { errors } from '../shared/index.ts';
import type { FunctionChanges } from './function-changes.ts';
import type { FunctionResolver } from './function-resolver.ts';
import type { ConcurrencyLedger } from './ports.ts';
import type { FunctionStore, ProvisionedConfigStore } from '../storage/index.ts';
import { assertNoViolations, constraint } from '../shared/index.ts';

export interface ReservedConcurrencyDeps {
  readonly functions: FunctionStore;
  readonly provisioned: ProvisionedConfigStore;
  readonly resolver: FunctionResolver;
  readonly ledger: ConcurrencyLedger;
  readonly changes: FunctionChanges;
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
    await this.#deps.changes.touched(name);
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
    await this.#deps.changes.touched(name);
  }

  /** The stored reservation may have changed (through this or another front end): the ledger follows it. */
  async reload(functionName: string): Promise<void> {
    const fn = await this.#deps.functions.getFunction(functionName);
    this.#deps.ledger.setReservation(functionName, fn?.reservedConcurrency, { enforceMinimum: false });
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
