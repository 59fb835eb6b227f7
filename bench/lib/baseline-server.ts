/**
 * The floor for any platform: a plain Node HTTP server that answers Lambda's Invoke
 * route by calling the handler in-process, so the same SDK client can drive it.
 * An `Event` invoke is answered 202 and then run in the same process.
 */
import { createServer, type Server } from 'node:http';

export type Handler = (event: unknown) => Promise<unknown>;

export async function startBaseline(handler: Handler): Promise<{ endpoint: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.headers['x-amz-invocation-type'] === 'Event') {
        // Event: answer 202 at once, then run the handler in this process
        res.writeHead(202).end();
        handler(body === '' ? {} : JSON.parse(body)).catch(() => undefined);
        return;
      }
      handler(body === '' ? {} : JSON.parse(body)).then(
        (result) => {
          res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
          res.end(JSON.stringify(result ?? null));
        },
        (err: Error) => {
          res.writeHead(200, { 'x-amz-function-error': 'Unhandled' });
          res.end(JSON.stringify({ errorMessage: err.message }));
        },
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}
