// @ts-check
/**
 * HTTP client for the Runtime API (2018-06-01) and Flint's specialization step. One keep-alive
 * connection; stdout/stderr are flushed before every answer, so the host can attribute every
 * log line written during an invocation to that invocation.
 */
import http from 'node:http';
import { flushStdio } from './log-patch.mjs';

/** @typedef {{status: number, headers: http.IncomingHttpHeaders, body: Buffer}} RapidAnswer */

export class RapidClient {
  /** @param {string} hostPort value of AWS_LAMBDA_RUNTIME_API */
  constructor(hostPort) {
    const colon = hostPort.lastIndexOf(':');
    this.host = hostPort.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    this.port = Number(hostPort.slice(colon + 1));
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {Buffer | undefined} [body]
   * @param {Record<string, string>} [headers]
   * @returns {Promise<RapidAnswer>}
   */
  request(method, path, body, headers = {}) {
    return new Promise((resolve, reject) => {
      if (body !== undefined) headers['Content-Length'] = String(body.length);
      const req = http.request({ agent: this.agent, host: this.host, port: this.port, method, path, headers }, (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: chunks.length === 1 ? /** @type {Buffer} */ (chunks[0]) : Buffer.concat(chunks),
        }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Exercises the HTTP path once so the first real answer is fast (cell warm-up). */
  async ping() {
    await this.request('GET', '/2018-06-01/ping');
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
    const answer = await this.request('GET', '/2018-06-01/runtime/invocation/next');
    if (answer.status !== 200) throw new Error(`/next failed: ${answer.status} ${answer.body}`);
    return answer;
  }

  /**
   * @param {string} requestId
   * @param {Buffer} body
   */
  async postInvocationResponse(requestId, body) {
    await flushStdio();
    return this.request('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response`, body, {
      'Content-Type': 'application/json',
    });
  }

  /**
   * @param {string} requestId
   * @param {import('./errors.mjs').RapidError} error
   */
  async postInvocationError(requestId, error) {
    await flushStdio();
    return this.request('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/error`,
      Buffer.from(JSON.stringify(error)), errorHeaders(error));
  }

  /** @param {import('./errors.mjs').RapidError} error */
  async postInitError(error) {
    await flushStdio();
    return this.request('POST', '/2018-06-01/runtime/init/error', Buffer.from(JSON.stringify(error)), errorHeaders(error));
  }
}

/** @param {import('./errors.mjs').RapidError} error @returns {Record<string, string>} */
function errorHeaders(error) {
  return {
    'Content-Type': 'application/json',
    // A header value may not hold control characters; the body keeps the full type anyway.
    'Lambda-Runtime-Function-Error-Type': String(error.errorType).replace(/[^\x20-\x7e]/g, ''),
  };
}
