import { Agent, createServer, request, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WARM_UP_FUNCTION, type WarmUpDoor } from './warm-up.ts';

/** Signs a warm-up request (AWS Signature Version 4) and answers its headers with the signature's: under `--auth sigv4`. */
export type WarmUpSigner = (request: { method: string; host: string; path: string; headers: Readonly<Record<string, string>>; body: Buffer }) => Promise<Record<string, string>>;

/**
 * The API's door for the warm-up: a listener on a free loopback port that hands each request to
 * the API's own request handler (what its server calls: fastify's `routing`), so that warm-up
 * invokes are parsed, routed, checked and answered by the same code as a client's, before the API
 * listens on its own address. The client is Node's, one kept-alive connection, as SDK clients keep;
 * with `sign`, each request is signed as a client's is (the API checks it as any other).
 */
export async function openApiDoor(handler: RequestListener, sign?: WarmUpSigner): Promise<{ readonly door: WarmUpDoor; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const path = `/2015-03-31/functions/${WARM_UP_FUNCTION}/invocations`;
  const host = `127.0.0.1:${port}`;
  const door: WarmUpDoor = async (payload) => {
    const plain = { 'content-type': 'application/json', 'content-length': String(payload.length) };
    const headers = sign === undefined ? plain : await sign({ method: 'POST', host, path, headers: plain, body: payload });
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          if (res.statusCode === 200 && res.headers['x-amz-function-error'] === undefined) resolve();
          else reject(new Error(`a warm-up invoke was answered ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 500)}`));
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  };
  const close = async (): Promise<void> => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { door, close };
}
