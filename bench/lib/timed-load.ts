/** Closed-loop load for a fixed time: `concurrency` callers, each calling again as soon as its call returns. */
export async function loadFor(durationMs: number, concurrency: number, fn: () => Promise<unknown>): Promise<{ completed: number; wallMs: number }> {
  let completed = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await fn();
        completed++;
      }
    }),
  );
  return { completed, wallMs: performance.now() - started };
}

/**
 * Warms an Invoke URL over plain HTTP: `connections` callers each invoke it `times` times in a row,
 * reading every answer, so every sandbox that concurrency needs has started when it returns. (An
 * autocannon run abandons, when it ends, the requests still waiting for a cold start, which then
 * start sandboxes inside whatever is measured next.)
 */
export async function warmInvokeUrl(url: string, connections: number, times: number): Promise<void> {
  await Promise.all(Array.from({ length: connections }, async () => {
    for (let i = 0; i < times; i++) {
      const res = await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${url}: warm-up invoke answered ${res.status}`);
    }
  }));
}
