import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * A logger's component path, kept on the logger instance rather than in its
 * bindings: pino appends a child's bindings to its parent's, so a sub-component
 * re-binding `component` would write the key twice in one line (log shippers
 * refuse such lines). Children made with `.child()` inherit it (prototype chain).
 */
const COMPONENT_PATH = Symbol('flint.component');
type WithComponent = Logger & { [COMPONENT_PATH]?: string };

/** Structured JSON logs on stderr. Built once in main and passed down; children carry a component or request id. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: (_fields, _level, logger) => {
        const component = (logger as WithComponent)[COMPONENT_PATH];
        return component === undefined ? {} : { component };
      },
    },
    destination,
  );
}

/**
 * A child logger for a component: its lines carry `component` once, as the path
 * from the outermost component (`worker-host/sandbox-driver`).
 */
export function componentLogger(parent: Logger, name: string): Logger {
  const outer = (parent as WithComponent)[COMPONENT_PATH];
  const child = parent.child({}) as WithComponent;
  child[COMPONENT_PATH] = outer === undefined ? name : `${outer}/${name}`;
  return child;
}
