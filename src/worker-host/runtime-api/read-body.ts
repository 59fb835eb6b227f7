/**
 * Reads a request body into one Buffer, refusing to hold more than a limit. Hot path:
 * one allocation when the body arrives in one chunk, one concat otherwise.
 */
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { readonly kind: 'ok'; readonly body: Buffer }
  /** The body was larger than the limit; it was read to its end and discarded. */
  | { readonly kind: 'too-large'; readonly bytes: number }
  /** The connection ended before the body did. */
  | { readonly kind: 'truncated' };

const EMPTY = Buffer.alloc(0);

/** Post: settles once, after the whole body was consumed (so the connection can be reused). */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limitBytes) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (bytes > limitBytes) finish({ kind: 'too-large', bytes });
      else if (chunks.length === 1) finish({ kind: 'ok', body: chunks[0]! });
      else finish({ kind: 'ok', body: chunks.length === 0 ? EMPTY : Buffer.concat(chunks, bytes) });
    });
    req.on('aborted', () => finish({ kind: 'truncated' }));
    req.on('error', () => finish({ kind: 'truncated' }));
    req.on('close', () => {
      if (!req.complete) finish({ kind: 'truncated' });
    });
  });
}
