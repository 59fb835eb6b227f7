// @ts-check
/**
 * HTTP client for the Runtime API (2018-06-01) and Flint's specialization step: HTTP/1.1 on one
 * kept-alive TCP connection, one request at a time (later ones queue), written by hand instead of
 * through node:http. A small function runs on a few percent of a CPU, so the client's own CPU per
 * invoke is its latency (docs/data-plane.md): the `/next` request is precomputed bytes, a response
 * is one string write, and an answer is parsed straight from the socket's chunks.
 *
 * The connection is ref'd only while a request is outstanding, so an idle client does not keep the
 * event loop alive (the `beforeExit` detection of a handler that never answers relies on it). A
 * connection the server closed is replaced at the next request. stdout/stderr are flushed before
 * every answer, so the host can attribute every log line written during an invocation to it.
 */
import { flushStdio } from './log-patch.mjs';
const net = process.getBuiltinModule('node:net');

/** @typedef {Record<string, string>} RapidHeaders header names in lower case */
/** @typedef {{status: number, headers: RapidHeaders, body: Buffer}} RapidAnswer */
/**
 * @typedef {object} PendingRequest
 * @property {string | Buffer} bytes the whole request
 * @property {(answer: RapidAnswer) => void} resolve
 * @property {(err: Error) => void} reject
 */

const CRLF_CRLF = Buffer.from('\r\n\r\n');
const NO_BODY = Buffer.alloc(0);
const NEXT_PATH = '/2018-06-01/runtime/invocation/next';

export class RapidClient {
  /** @param {string} hostPort value of AWS_LAMBDA_RUNTIME_API */
  constructor(hostPort) {
    const colon = hostPort.lastIndexOf(':');
    this.host = hostPort.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    this.port = Number(hostPort.slice(colon + 1));
    this.hostHeader = `Host: ${hostPort}\r\nConnection: keep-alive\r\n`;
    this.nextRequest = Buffer.from(`GET ${NEXT_PATH} HTTP/1.1\r\n${this.hostHeader}\r\n`, 'latin1');
    /** @type {import('node:net').Socket | undefined} */
    this.socket = undefined;
    /** @type {PendingRequest[]} the first one is on the wire */
    this.queue = [];
    /** @type {ResponseParser | undefined} */
    this.parser = undefined;
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {Buffer | string | undefined} [body]
   * @param {Record<string, string>} [headers]
   * @returns {Promise<RapidAnswer>}
   */
  request(method, path, body, headers) {
    let head = `${method} ${path} HTTP/1.1\r\n${this.hostHeader}`;
    if (headers) for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    if (body === undefined) return this.send(`${head}\r\n`);
    if (typeof body === 'string') return this.send(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    return this.send(Buffer.concat([Buffer.from(`${head}Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]));
  }

  /**
   * Queues a request; it goes on the wire once the ones before it are answered.
   * @param {string | Buffer} bytes
   * @returns {Promise<RapidAnswer>}
   */
  send(bytes) {
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes, resolve, reject });
      if (this.queue.length === 1) this.writeHead();
    });
  }

  /** Writes the request at the head of the queue, on the open connection or a new one. */
  writeHead() {
    const pending = this.queue[0];
    if (pending === undefined) return;
    const socket = this.socket ?? this.connect();
    socket.ref();
    this.parser = new ResponseParser();
    socket.write(pending.bytes);
  }

  connect() {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = socket;
    socket.on('data', (chunk) => this.onData(socket, chunk));
    socket.on('error', (err) => this.onClosed(socket, err));
    socket.on('end', () => this.onClosed(socket, undefined));
    socket.on('close', () => this.onClosed(socket, undefined));
    return socket;
  }

  /**
   * @param {import('node:net').Socket} socket
   * @param {Buffer} chunk
   */
  onData(socket, chunk) {
    const pending = this.queue[0];
    const parser = this.parser;
    if (socket !== this.socket || pending === undefined || parser === undefined) return;
    let answer;
    try {
      answer = parser.push(chunk);
    } catch (err) {
      this.drop(socket);
      this.settleHead(undefined, /** @type {Error} */ (err));
      return;
    }
    if (answer === undefined) return;
    if (parser.closeAfter) this.drop(socket);
    this.settleHead(answer, undefined);
  }

  /**
   * The connection ended: answers a response whose body runs to the end of the connection, fails
   * any other request on the wire, and forgets the connection.
   * @param {import('node:net').Socket} socket
   * @param {Error | undefined} err
   */
  onClosed(socket, err) {
    if (socket !== this.socket) return;
    this.drop(socket);
    if (this.queue.length === 0) return;
    const answer = err === undefined ? this.parser?.end() : undefined;
    if (answer !== undefined) this.settleHead(answer, undefined);
    else this.settleHead(undefined, err ?? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  }

  /** @param {import('node:net').Socket} socket */
  drop(socket) {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.parser = undefined;
    socket.destroy();
  }

  /**
   * Settles the request at the head of the queue and puts the next one on the wire.
   * @param {RapidAnswer | undefined} answer
   * @param {Error | undefined} err
   */
  settleHead(answer, err) {
    const pending = /** @type {PendingRequest} */ (this.queue.shift());
    this.parser = undefined;
    if (this.queue.length > 0) this.writeHead();
    else this.socket?.unref();
    if (answer !== undefined) pending.resolve(answer);
    else pending.reject(/** @type {Error} */ (err));
  }

  /**
   * Long-polls Flint's specialization step (pre-started cells only).
   * @returns {Promise<{handler: string, env: Record<string, string>}>}
   */
  async specialization() {
    const answer = await this.request('GET', '/2018-06-01/flint/specialize');
    if (answer.status !== 200) throw new Error(`specialization refused: ${answer.status} ${answer.body}`);
    return JSON.parse(answer.body.toString('utf8'));
  }

  /** @returns {Promise<RapidAnswer>} */
  async nextInvocation() {
    const answer = await this.send(this.nextRequest);
    if (answer.status !== 200) throw new Error(`/next failed: ${answer.status} ${answer.body}`);
    return answer;
  }

  /**
   * @param {string} requestId
   * @param {Buffer | string} body the result as JSON text
   */
  async postInvocationResponse(requestId, body) {
    await flushStdio();
    return this.request('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response`, body, JSON_CONTENT);
  }

  /**
   * @param {string} requestId
   * @param {import('./errors.mjs').RapidError} error
   */
  async postInvocationError(requestId, error) {
    await flushStdio();
    return this.request('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/error`,
      JSON.stringify(error), errorHeaders(error));
  }

  /** @param {import('./errors.mjs').RapidError} error */
  async postInitError(error) {
    await flushStdio();
    return this.request('POST', '/2018-06-01/runtime/init/error', JSON.stringify(error), errorHeaders(error));
  }
}

const JSON_CONTENT = Object.freeze({ 'Content-Type': 'application/json' });

/** @param {import('./errors.mjs').RapidError} error @returns {Record<string, string>} */
function errorHeaders(error) {
  return {
    'Content-Type': 'application/json',
    // A header value may not hold control characters; the body keeps the full type anyway.
    'Lambda-Runtime-Function-Error-Type': String(error.errorType).replace(/[^\x20-\x7e]/g, ''),
  };
}

/**
 * One HTTP/1.1 response read from a connection's chunks: status line and headers, then a body
 * framed by Content-Length, chunked transfer coding, or the end of the connection.
 */
class ResponseParser {
  constructor() {
    /** @type {Buffer} bytes received and not yet consumed */
    this.buffered = NO_BODY;
    this.status = 0;
    /** @type {RapidHeaders | undefined} set once the head is complete */
    this.headers = undefined;
    /** Body length, -1 for chunked, -2 for "to the end of the connection". */
    this.length = 0;
    /** @type {Buffer[]} chunked body parts */
    this.parts = [];
    /** True when the server said it closes the connection after this response. */
    this.closeAfter = false;
  }

  /**
   * @param {Buffer} chunk
   * @returns {RapidAnswer | undefined} the answer once complete
   */
  push(chunk) {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    if (this.headers === undefined && !this.readHead()) return undefined;
    if (this.length >= 0) {
      if (this.buffered.length < this.length) return undefined;
      return this.answer(this.buffered.subarray(0, this.length));
    }
    if (this.length === -1) return this.readChunks();
    return undefined;
  }

  /** @returns {RapidAnswer | undefined} the answer of a body that ran to the end of the connection */
  end() {
    return this.headers !== undefined && this.length === -2 ? this.answer(this.buffered) : undefined;
  }

  /** @returns {boolean} whether the head was complete */
  readHead() {
    const end = this.buffered.indexOf(CRLF_CRLF);
    if (end < 0) {
      if (this.buffered.length > 65536) throw new Error('Runtime API answer head too large');
      return false;
    }
    const lines = this.buffered.toString('latin1', 0, end).split('\r\n');
    const statusLine = /** @type {string} */ (lines[0]);
    if (!statusLine.startsWith('HTTP/1.')) throw new Error(`not an HTTP answer: ${statusLine.slice(0, 80)}`);
    this.status = Number(statusLine.slice(9, 12));
    /** @type {RapidHeaders} */
    const headers = {};
    for (let i = 1; i < lines.length; i++) {
      const line = /** @type {string} */ (lines[i]);
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    this.headers = headers;
    this.buffered = this.buffered.subarray(end + 4);
    this.closeAfter = (headers['connection'] ?? '').toLowerCase() === 'close';
    const noBody = this.status === 204 || this.status === 304 || (this.status >= 100 && this.status < 200);
    if (noBody) this.length = 0;
    else if ((headers['transfer-encoding'] ?? '').toLowerCase().includes('chunked')) this.length = -1;
    else if (headers['content-length'] !== undefined) this.length = Number(headers['content-length']);
    else {
      this.length = -2;
      this.closeAfter = true;
    }
    if (!(this.length >= -2)) throw new Error(`bad Content-Length: ${headers['content-length']}`);
    return true;
  }

  /** @returns {RapidAnswer | undefined} */
  readChunks() {
    for (;;) {
      const lineEnd = this.buffered.indexOf('\r\n');
      if (lineEnd < 0) return undefined;
      const size = parseInt(this.buffered.toString('latin1', 0, lineEnd), 16);
      if (!(size >= 0)) throw new Error('bad chunk size in Runtime API answer');
      if (size === 0) {
        // The last chunk: skip any trailers up to the empty line.
        const trailerEnd = this.buffered.indexOf(CRLF_CRLF, lineEnd);
        if (trailerEnd < 0) return undefined;
        return this.answer(this.parts.length === 1 ? /** @type {Buffer} */ (this.parts[0]) : Buffer.concat(this.parts));
      }
      if (this.buffered.length < lineEnd + 2 + size + 2) return undefined;
      this.parts.push(this.buffered.subarray(lineEnd + 2, lineEnd + 2 + size));
      this.buffered = this.buffered.subarray(lineEnd + 2 + size + 2);
    }
  }

  /** @param {Buffer} body @returns {RapidAnswer} */
  answer(body) {
    return { status: this.status, headers: /** @type {RapidHeaders} */ (this.headers), body };
  }
}
