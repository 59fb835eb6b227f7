/**
 * `flint.json`: what `flint deploy` creates or updates a function from. Small on purpose: the
 * settings a developer sets by hand; everything else keeps Lambda's defaults. Unknown members
 * are refused (a typo must not be silently ignored).
 */
import { z } from 'zod';

const URL_CONFIG = z
  .object({
    authType: z.enum(['NONE', 'AWS_IAM']).default('NONE'),
    invokeMode: z.enum(['BUFFERED', 'RESPONSE_STREAM']).optional(),
    cors: z
      .object({
        allowOrigins: z.array(z.string()).optional(),
        allowMethods: z.array(z.string()).optional(),
        allowHeaders: z.array(z.string()).optional(),
        exposeHeaders: z.array(z.string()).optional(),
        allowCredentials: z.boolean().optional(),
        maxAge: z.number().int().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const DEPLOY_MANIFEST = z
  .object({
    /** Default: the directory's name. */
    name: z.string().min(1).optional(),
    runtime: z.string().min(1),
    handler: z.string().min(1),
    memory: z.number().int().optional(),
    timeout: z.number().int().optional(),
    description: z.string().optional(),
    environment: z.record(z.string(), z.string()).optional(),
    layers: z.array(z.string()).optional(),
    role: z.string().optional(),
    architecture: z.enum(['x86_64', 'arm64']).optional(),
    /** A function URL (true: AuthType NONE, buffered). */
    url: z.union([z.literal(true), URL_CONFIG]).optional(),
  })
  .strict();

export type DeployManifest = z.infer<typeof DEPLOY_MANIFEST>;
export type UrlManifest = z.infer<typeof URL_CONFIG>;

/** The default execution role when flint.json names none (Flint checks its shape, not IAM). */
export const DEFAULT_ROLE = 'arn:aws:iam::000000000000:role/flint-deploy';

export class ManifestError extends Error {}

/** Parses flint.json's text; ManifestError names the file and the first problem. */
export function parseManifest(text: string, file: string): DeployManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const parsed = DEPLOY_MANIFEST.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new ManifestError(`${file}${where}: ${issue.message}`);
  }
  return parsed.data;
}

/** The Lambda API's configuration members for the manifest (CreateFunction / UpdateFunctionConfiguration). */
export function functionSettings(m: DeployManifest): Record<string, unknown> {
  const out: Record<string, unknown> = { Runtime: m.runtime, Handler: m.handler, Role: m.role ?? DEFAULT_ROLE };
  if (m.memory !== undefined) out['MemorySize'] = m.memory;
  if (m.timeout !== undefined) out['Timeout'] = m.timeout;
  if (m.description !== undefined) out['Description'] = m.description;
  if (m.environment !== undefined) out['Environment'] = { Variables: m.environment };
  if (m.layers !== undefined) out['Layers'] = m.layers;
  return out;
}

/** The FunctionUrlConfig members for the manifest's `url`. */
export function urlSettings(url: true | UrlManifest): Record<string, unknown> {
  const u: UrlManifest = url === true ? { authType: 'NONE' } : url;
  const out: Record<string, unknown> = { AuthType: u.authType };
  if (u.invokeMode !== undefined) out['InvokeMode'] = u.invokeMode;
  if (u.cors !== undefined) {
    const c = u.cors;
    out['Cors'] = {
      ...(c.allowOrigins && { AllowOrigins: c.allowOrigins }),
      ...(c.allowMethods && { AllowMethods: c.allowMethods }),
      ...(c.allowHeaders && { AllowHeaders: c.allowHeaders }),
      ...(c.exposeHeaders && { ExposeHeaders: c.exposeHeaders }),
      ...(c.allowCredentials !== undefined && { AllowCredentials: c.allowCredentials }),
      ...(c.maxAge !== undefined && { MaxAge: c.maxAge }),
    };
  }
  return out;
}
