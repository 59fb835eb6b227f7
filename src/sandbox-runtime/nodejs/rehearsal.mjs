// @ts-check
/**
 * Invocations rehearsed by a cell waiting in the pool: the real invoke loop and Runtime API client
 * run against a stand-in Runtime API on an ephemeral port of the cell's own loopback, which answers
 * every `/next` with a canned event and every answer with 202. V8 runs a fresh process's code in
 * its interpreter first and compiles it as it runs (baseline code after a few calls, Maglev's
 * optimised code after a few hundred), so a fresh runtime's first invocations cost several times
 * what later ones do; rehearsed here, they cost that while the cell waits instead of in a caller's
 * invocations. Nothing leaves the cell: the stand-in listens on loopback and the rehearsal's state
 * (request id, trace id, exit hook) is cleared when it ends.
 */
import { RapidClient } from './rapid-client.mjs';
import { InvokeLoop } from './invoke-loop.mjs';
import { setBeforeExit } from './invoke-context.mjs';
import { setCurrentRequestId } from './log-patch.mjs';

const net = process.getBuiltinModule('node:net');

const CRLF_CRLF = '\r\n\r\n';
const EVENT = JSON.stringify({ rehearsal: true, body: '{"hello":"world"}', headers: { 'content-type': 'application/json' }, items: [1, 2.5, 'a', null, false] });
const ACCEPTED = 'HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 15\r\n\r\n{"status":"OK"}';

/**
 * Rehearses up to `rounds` invocations of `handler`, stopping early once `stopped` settles (checked
 * between invocations; an invocation still unanswered STOP_GRACE_MS later is abandoned, so that
 * nothing here can hold the cell's specialization up). Resolves once the rehearsal is over, its
 * stand-in closed and its state cleared; never rejects, and never ends the process: a failed
 * rehearsal only leaves the cell colder.
 * @param {Function} handler
 * @param {number} rounds
 * @param {Promise<unknown>} stopped
 * @returns {Promise<void>}
 */
export async function rehearseInvocations(handler, rounds, stopped) {
  const server = net.createServer({ noDelay: true }, serveStandIn);
  try {
    await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve(undefined)));
  } catch {
    return; // no loopback to rehearse on: the cell simply stays cold
  }
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const client = new RapidClient(`127.0.0.1:${port}`);
  let stop = false;
  // An answer that cannot be posted (the stand-in gone, or an invocation abandoned below answering
  // after the stand-in closed) only stops the rehearsal: the loop's own completion would end the process.
  /** @returns {import('./rapid-client.mjs').RapidAnswer} */
  const stopOnFailure = () => {
    stop = true;
    return { status: 0, headers: {}, body: Buffer.alloc(0) };
  };
  /** @param {string} requestId @param {Buffer | string} body */
  client.postInvocationResponse = (requestId, body) => RapidClient.prototype.postInvocationResponse.call(client, requestId, body).catch(stopOnFailure);
  /** @param {string} requestId @param {import('./errors.mjs').RapidError} error */
  client.postInvocationError = (requestId, error) => RapidClient.prototype.postInvocationError.call(client, requestId, error).catch(stopOnFailure);
  const scope = { requestId: /** @type {string | undefined} */ (undefined) };
  const loop = new InvokeLoop(client, handler, scope);
  let done = 0;
  await new Promise((resolve) => {
    const end = () => resolve(undefined);
    const onStopped = () => {
      stop = true;
      setTimeout(end, STOP_GRACE_MS).unref();
    };
    stopped.then(onStopped, onStopped);
    // the loop asks for its next invocation through `start` once an answer was accepted
    loop.start = () => {
      done++;
      if (done >= rounds || stop) end();
      else setImmediate(() => loop.handleOnce().catch(end));
    };
    loop.handleOnce().catch(end);
  });
  stop = true; // an abandoned invocation's answer must not start another
  client.socket?.destroy();
  server.close();
  setBeforeExit(undefined);
  setCurrentRequestId(undefined);
  delete process.env['_X_AMZN_TRACE_ID'];
}

/** How long an invocation under way may finish once the specialization has come. */
const STOP_GRACE_MS = 50;

/**
 * The stand-in Runtime API of one connection: a canned invocation for every GET, 202 for every POST.
 * @param {import('node:net').Socket} socket
 */
function serveStandIn(socket) {
  let buffered = '';
  let served = 0;
  socket.setEncoding('latin1');
  socket.on('error', () => socket.destroy());
  socket.on('data', (/** @type {string} */ chunk) => {
    buffered += chunk;
    for (;;) {
      const headEnd = buffered.indexOf(CRLF_CRLF);
      if (headEnd < 0) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buffered.slice(0, headEnd))?.[1] ?? 0);
      if (buffered.length < headEnd + 4 + length) return;
      const isGet = buffered.startsWith('GET ');
      buffered = buffered.slice(headEnd + 4 + length);
      socket.write(isGet ? invocation(++served) : ACCEPTED);
    }
  });
}

/** @param {number} n */
function invocation(n) {
  const body = Buffer.from(EVENT);
  return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: 00000000-0000-4000-8000-${String(n).padStart(12, '0')}\r\n` +
    `Lambda-Runtime-Deadline-Ms: ${Date.now() + 3000}\r\nLambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:rehearsal\r\n` +
    `Lambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000;Sampled=0\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n` +
    `Content-Length: ${body.length}\r\n\r\n${EVENT}`;
}
