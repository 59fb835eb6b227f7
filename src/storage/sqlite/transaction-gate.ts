/**
 * The one node:sqlite connection is synchronous and shared by the whole process, while a
 * `Storage.transaction` callback is async: between its awaits, other requests' statements would
 * run inside its open transaction (and commit or roll back with it). The gate keeps them out:
 * while a transaction is open, every other statement through the Storage waits for it to end,
 * and transactions run one at a time. With no transaction open a statement runs at once
 * (no promise chained, no lock taken: the fast path).
 */
export type Runner = <R>(statement: () => R) => Promise<R>;

export class TransactionGate {
  /** Resolves when the open transaction ends; undefined while none is open. */
  #ended: Promise<void> | undefined;

  /** Runs a statement now when no transaction is open, else once none is. */
  readonly run: Runner = <R>(statement: () => R): Promise<R> => (this.#ended === undefined ? settle(statement) : this.#later(statement));

  /** Runs `fn` alone: no statement of anyone else (nor another exclusive block) runs until it settles. */
  async exclusive<R>(fn: () => Promise<R>): Promise<R> {
    while (this.#ended !== undefined) await this.#ended;
    let end!: () => void;
    this.#ended = new Promise<void>((resolve) => (end = resolve));
    try {
      return await fn();
    } finally {
      this.#ended = undefined;
      end();
    }
  }

  /** Resolves once no transaction is open. */
  async idle(): Promise<void> {
    while (this.#ended !== undefined) await this.#ended;
  }

  async #later<R>(statement: () => R): Promise<R> {
    // Checked and run in the same turn: no transaction can begin in between.
    while (this.#ended !== undefined) await this.#ended;
    return statement();
  }
}

/** The statement's result (or its error) as a settled promise. */
export function settle<R>(statement: () => R): Promise<R> {
  try {
    return Promise.resolve(statement());
  } catch (err) {
    return Promise.reject(err as Error);
  }
}
