/**
 * How the CLI reaches a running Flint: over its HTTP API only (never its database or files),
 * at `--endpoint`, else `FLINT_ENDPOINT`, else the configured host and port.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
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

  /** The resource asked for does not exist (a 404 that is not an unknown route: an older Flint, a wrong endpoint). */
  get notFound(): boolean {
    return this.status === 404 && this.type !== 'UnknownOperationException';
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

/** Credentials the CLI signs its requests with (Flint with --auth sigv4 requires them; with --auth none they are ignored). */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN), else FLINT_ROOT_ACCESS_KEY_ID / FLINT_ROOT_SECRET_ACCESS_KEY; undefined when neither is set. */
export function signingCredentials(env: NodeJS.ProcessEnv): SigningCredentials | undefined {
  if (env['AWS_ACCESS_KEY_ID'] && env['AWS_SECRET_ACCESS_KEY']) return { accessKeyId: env['AWS_ACCESS_KEY_ID'], secretAccessKey: env['AWS_SECRET_ACCESS_KEY'], sessionToken: env['AWS_SESSION_TOKEN'] || undefined };
  if (env['FLINT_ROOT_ACCESS_KEY_ID'] && env['FLINT_ROOT_SECRET_ACCESS_KEY']) return { accessKeyId: env['FLINT_ROOT_ACCESS_KEY_ID'], secretAccessKey: env['FLINT_ROOT_SECRET_ACCESS_KEY'] };
  return undefined;
}

/** A client of the Flint at `--endpoint` (or the configured one), signing with the environment's credentials when it has some. */
export function flintClientFor(endpointFlag: string | undefined, env: NodeJS.ProcessEnv): FlintClient {
  const credentials = signingCredentials(env);
  return new FlintClient(resolveEndpoint(endpointFlag, env), credentials === undefined ? undefined : { credentials, region: resolveConfig({ env }).region });
}

/** SHA-256 / HMAC-SHA-256 over node:crypto in the shape the signer takes. */
class Sha256 {
  readonly #hash: Hash | Hmac;

  constructor(secret?: string | Uint8Array) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }

  update(data: string | Uint8Array): void {
    this.#hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
}

export class FlintClient {
  readonly endpoint: string;
  readonly #signer: SignatureV4 | undefined;

  constructor(endpoint: string, signing?: { readonly credentials: SigningCredentials; readonly region: string }) {
    this.endpoint = endpoint;
    this.#signer = signing === undefined ? undefined : new SignatureV4({ credentials: signing.credentials, region: signing.region, service: 'lambda', sha256: Sha256 as never });
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

  /** The headers to send: with credentials, signed (SigV4, service lambda) over the path, query and body. */
  async #sign(method: string, path: string, body: string | undefined): Promise<Record<string, string>> {
    const base: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (this.#signer === undefined) return base;
    const url = new URL(`${this.endpoint}${path}`);
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) {
      const had = query[k];
      query[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
    }
    const signed = await this.#signer.sign({ method, protocol: url.protocol, hostname: url.host, path: url.pathname, query, headers: { ...base, host: url.host }, body });
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(signed.headers)) if (k.toLowerCase() !== 'host') out[k] = String(v);
    return out;
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const headers = await this.#sign(method, path, text);
      res = await fetch(`${this.endpoint}${path}`, text === undefined ? { method, headers } : { method, headers, body: text });
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
