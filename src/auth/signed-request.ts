/**
 * A request as it reached Flint, in the parts SigV4 signs: method, the path and query exactly as
 * sent (percent-encoded), the headers (lower-case names, as Node gives them) and the raw body bytes.
 */
export interface SignedRequest {
  readonly method: string;
  /** The path as sent, without the query (`/2015-03-31/functions/my-fn/invocations`). */
  readonly path: string;
  /** The query string as sent, without `?` ('' when there is none). */
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body bytes; undefined when the request had none. */
  readonly body: Uint8Array | undefined;
}

/** The value of a header (several values joined with `,`, as HTTP allows); undefined when absent. */
export function headerOf(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The query's pairs, percent-decoded (a malformed escape is kept as sent), in their order. */
export function queryPairs(query: string): Array<[string, string]> {
  if (query === '') return [];
  return query.split('&').filter((part) => part !== '').map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
  });
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
