import type { Writable } from 'node:stream';

/**
 * Writes `chunk` to a response stream. Undefined when the stream took it (or is already gone);
 * otherwise a promise that settles once the stream drained or closed, so a writer faster than
 * its reader waits instead of buffering without bound.
 */
export function writeOrDrain(stream: Writable, chunk: Uint8Array, gone: boolean): Promise<void> | undefined {
  if (gone || stream.write(chunk)) return undefined;
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}
