import { readdirSync, readFileSync } from 'node:fs';

/** CPU run time of every thread of `pid` so far, ns (/proc schedstat: main thread, V8's helpers, libuv's pool). */
export function threadsRunNs(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread that ended while reading
    }
  }
  return total;
}
