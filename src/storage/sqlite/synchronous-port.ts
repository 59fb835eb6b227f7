/**
 * The SQLite stores are written synchronously (node:sqlite is), each against `Synchronous<Port>`,
 * the port with every promise unwrapped, so the compiler checks them against ports.ts; `asPort`
 * turns one into the port itself, every call going through a Runner (the transaction gate, or a
 * transaction's own binding).
 */
import type { Runner } from './transaction-gate.ts';

/** A port with its methods' promises unwrapped. */
export type Synchronous<Port> = {
  [K in keyof Port]: Port[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : Port[K];
};

/** The port over a synchronous implementation: each public method of its class runs through `run`. */
export function asPort<Port>(impl: Synchronous<Port>, run: Runner): Port {
  const port: Record<string, unknown> = {};
  const target = impl as Record<string, (...args: unknown[]) => unknown>;
  const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(impl)).filter((n) => n !== 'constructor' && typeof target[n] === 'function');
  for (const name of methods) {
    const method = target[name]!.bind(impl);
    port[name] = (...args: unknown[]) => run(() => method(...args));
  }
  return port as Port;
}
