/** Line framing for the sandbox machinery's text channels (bubblewrap's status, the supervisor's control socket). */
import type { Readable } from 'node:stream';

/** Calls `onLine` with each complete `\n`-terminated line the stream delivers (UTF-8, without the newline). */
export function onLines(stream: Readable, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      onLine(line);
    }
  });
}
