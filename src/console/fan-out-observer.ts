import type { InvokeObserver } from '../frontend/index.ts';

/** One observer that tells every one of `observers` (the metrics and the console's series). */
export function fanOutObserver(...observers: InvokeObserver[]): InvokeObserver {
  return {
    invoked: (...args) => {
      for (const o of observers) o.invoked(...args);
    },
    throttled: (...args) => {
      for (const o of observers) o.throttled(...args);
    },
  };
}
