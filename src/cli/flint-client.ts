/**
 * How the CLI reaches a running Flint: over its HTTP API only (never its database or files),
 * at `--endpoint`, else `FLINT_ENDPOINT`, else the configured host and port.
 */
import { resolveConfig } from '../config/index.ts';

/** An answer of Flint's API other than 2xx: the error type and message it rendered. */
export class FlintApiError extends Error {
  readonly status: number;
  readonly type: string | undefined;

  constructor(status: number, type: string | undefined, message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

/** Nothing answered at the endpoint (refused, unreachable): the CLI prints this and exits 1. */
export class FlintNotRunningError extends Error {
  constructor(endpoint: string, cause: unknown) {
    super(`no Flint is listening at ${endpoint}; start it with npm start (or point --endpoint / FLINT_ENDPOINT at a running one)`, { cause });
  }
}

/** `--endpoint`, then `FLINT_ENDPOINT`, then `http://HOST:PORT` of the configuration (a wildcard host read as loopback). */
export function resolveEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const explicit = flag ?? env['FLINT_ENDPOINT'];
  if (explicit !== undefined && explicit !== '') return explicit.replace(/\/+$/, '');
  const config = resolveConfig({ env });
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '[::1]' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

export class FlintClient {
  readonly endpoint: string;

  constructor(endpoint: string) {
    this.endpoint = endpoint;
  }

  get<T>(path: string): Promise<T> {
    return this.#request<T>('GET', path);
  }

  post<T>(path: string): Promise<T> {
    return this.#request<T>('POST', path);
  }

  /** A call with a JSON body (Lambda API operations); an empty answer (204) resolves undefined. */
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return this.#request<T>(method, path, body);
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.endpoint}${path}`, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (err) {
      throw new FlintNotRunningError(this.endpoint, err);
    }
    const text = await res.text();
    if (!res.ok) {
      const body = parseJson(text) as { Type?: string; Message?: string; message?: string } | undefined;
      throw new FlintApiError(res.status, res.headers.get('x-amzn-errortype')?.split(':')[0] ?? body?.Type, body?.Message ?? body?.message ?? `HTTP ${res.status}`);
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
