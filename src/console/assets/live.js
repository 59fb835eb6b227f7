// The live snapshot: one EventSource on /console/events; each `snapshot` event replaces the last.
import { useEffect, useState } from 'preact/hooks';

/** { snapshot, connected }: the latest status + series the server pushed, and whether the stream is open. */
export function useLiveSnapshot() {
  const [state, setState] = useState({ snapshot: undefined, connected: false });
  useEffect(() => {
    const source = new EventSource('/console/events');
    source.addEventListener('snapshot', (event) => setState({ snapshot: JSON.parse(event.data), connected: true }));
    source.addEventListener('error', () => setState((s) => ({ ...s, connected: false })));
    return () => source.close();
  }, []);
  return state;
}

/** Calls `load` now and every `everyMs`, and again whenever one of `deps` changes. */
export function usePolling(load, everyMs, deps = []) {
  useEffect(() => {
    let stopped = false;
    const run = () => {
      if (!stopped) void load();
    };
    run();
    const timer = setInterval(run, everyMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, deps);
}
