/**
 * What the console's functions table shows, gathered through Flint's own Lambda API (Fastify's
 * inject: the same routes, no socket): every function with its published versions, aliases,
 * reserved and provisioned concurrency, and its URL when GetFunctionUrlConfig answers one.
 * A failed or unknown read leaves its part out rather than failing the page.
 */
import type { FastifyInstance } from '../api/index.ts';

export interface FunctionOverview {
  readonly name: string;
  readonly runtime: string | null;
  readonly memoryMb: number | null;
  readonly lastModified: string | null;
  readonly versions: string[];
  readonly aliases: Array<{ readonly name: string; readonly version: string; readonly weights: Record<string, number> }>;
  readonly reservedConcurrency: number | null;
  readonly provisioned: Array<{ readonly qualifier: string; readonly requested: number; readonly available: number; readonly status: string }>;
  readonly url: string | null;
}

/** The console lists at most this many functions. */
const MAX_FUNCTIONS = 200;

type Json = Record<string, unknown>;

export async function functionsOverview(app: FastifyInstance): Promise<FunctionOverview[]> {
  const get = async (url: string): Promise<Json | undefined> => {
    const res = await app.inject({ method: 'GET', url });
    return res.statusCode === 200 ? (res.json() as Json) : undefined;
  };
  const all = async (url: string, member: string): Promise<Json[]> => {
    const out: Json[] = [];
    for (let marker: string | undefined, pages = 0; pages < 20; pages++) {
      const page = await get(`${url}${url.includes('?') ? '&' : '?'}MaxItems=50${marker ? `&Marker=${encodeURIComponent(marker)}` : ''}`);
      out.push(...((page?.[member] as Json[] | undefined) ?? []));
      marker = page?.NextMarker as string | undefined;
      if (marker === undefined || out.length >= MAX_FUNCTIONS) break;
    }
    return out;
  };
  const functions = (await all('/2015-03-31/functions/', 'Functions')).slice(0, MAX_FUNCTIONS);
  return Promise.all(
    functions.map(async (f): Promise<FunctionOverview> => {
      const name = String(f.FunctionName);
      const path = encodeURIComponent(name);
      const [versions, aliases, concurrency, provisioned, url] = await Promise.all([
        all(`/2015-03-31/functions/${path}/versions`, 'Versions'),
        all(`/2015-03-31/functions/${path}/aliases`, 'Aliases'),
        get(`/2019-09-30/functions/${path}/concurrency`),
        all(`/2019-09-30/functions/${path}/provisioned-concurrency?List=ALL`, 'ProvisionedConcurrencyConfigs'),
        get(`/2021-10-31/functions/${path}/url`),
      ]);
      return {
        name,
        runtime: (f.Runtime as string | undefined) ?? null,
        memoryMb: (f.MemorySize as number | undefined) ?? null,
        lastModified: (f.LastModified as string | undefined) ?? null,
        versions: versions.map((v) => String(v.Version)).filter((v) => v !== '$LATEST'),
        aliases: aliases.map((a) => ({
          name: String(a.Name),
          version: String(a.FunctionVersion),
          weights: ((a.RoutingConfig as Json | undefined)?.AdditionalVersionWeights as Record<string, number> | undefined) ?? {},
        })),
        reservedConcurrency: (concurrency?.ReservedConcurrentExecutions as number | undefined) ?? null,
        provisioned: provisioned.map((p) => ({
          qualifier: String(p.FunctionArn).split(':').at(-1) ?? '',
          requested: Number(p.RequestedProvisionedConcurrentExecutions),
          available: Number(p.AvailableProvisionedConcurrentExecutions),
          status: String(p.Status),
        })),
        url: (url?.FunctionUrl as string | undefined) ?? null,
      };
    }),
  );
}
