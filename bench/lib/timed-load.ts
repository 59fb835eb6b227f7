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
