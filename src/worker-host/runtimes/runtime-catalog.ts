/**
 * Every runtime id Flint accepts and what really runs it. A runtime whose requested version is
 * served by another one says so in `standIn` (logged as a warning, documented in docs/runtimes.md).
 */
export type RuntimeFamily = 'nodejs' | 'python' | 'provided';

export interface RuntimeDefinition {
  /** Lambda's runtime id, e.g. `nodejs22.x`. */
  readonly id: string;
  readonly family: RuntimeFamily;
  /** Node major whose binary runs a `nodejs*` runtime (from the runtime store). */
  readonly nodeMajor: number | undefined;
  /** Why the version that runs differs from the one asked for; undefined when it matches. */
  readonly standIn: string | undefined;
}

function node(id: string, nodeMajor: number, standIn?: string): RuntimeDefinition {
  return { id, family: 'nodejs', nodeMajor, standIn };
}

function python(id: string): RuntimeDefinition {
  return {
    id, family: 'python', nodeMajor: undefined,
    standIn: `${id} runs on the machine's /usr/bin/python3, whatever its version (no per-version Python is installed)`,
  };
}

export const RUNTIMES: Readonly<Record<string, RuntimeDefinition>> = {
  'nodejs18.x': node('nodejs18.x', 20, 'nodejs18.x runs on Node 20 (Node 18 is past end of life and not kept in the runtime store)'),
  'nodejs20.x': node('nodejs20.x', 20),
  'nodejs22.x': node('nodejs22.x', 22),
  'nodejs24.x': node('nodejs24.x', 24),
  'python3.9': python('python3.9'),
  'python3.10': python('python3.10'),
  'python3.11': python('python3.11'),
  'python3.12': python('python3.12'),
  'python3.13': python('python3.13'),
  'provided.al2': { id: 'provided.al2', family: 'provided', nodeMajor: undefined, standIn: undefined },
  'provided.al2023': { id: 'provided.al2023', family: 'provided', nodeMajor: undefined, standIn: undefined },
};

/** The definition of `id`, or undefined for a runtime Flint does not run. */
export function findRuntime(id: string): RuntimeDefinition | undefined {
  return Object.hasOwn(RUNTIMES, id) ? RUNTIMES[id] : undefined;
}

/** Node majors the runtime store must hold. */
export function requiredNodeMajors(): number[] {
  const majors = new Set<number>();
  for (const def of Object.values(RUNTIMES)) if (def.nodeMajor !== undefined) majors.add(def.nodeMajor);
  return [...majors].sort((a, b) => a - b);
}
