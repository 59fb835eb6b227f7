/** What the function URL component needs from the others (wired in main.ts). */
import type { FastifyRequest } from '../api/index.ts';
import type { FunctionUrlAuthType, InvokeRequest, InvokeResult, ResolvedTarget } from '../model/index.ts';

/** The control plane's FunctionResolver, as far as this component uses it. */
export interface FunctionLookup {
  /** Checks FunctionName (+ Qualifier) as a path label; throws Lambda's ValidationException / 400, or FunctionNotFound. */
  parse(functionName: string | undefined, operation: 'write' | 'read', qualifier?: string): { readonly name: string; readonly qualifier: string | undefined };
  /** The version that runs for this name and qualifier; throws FunctionNotFound when there is none. */
  resolve(functionName: string, qualifier: string | undefined): Promise<ResolvedTarget>;
}

/** The front end's one invoke path (InvokeService.invoke); throws domain errors. */
export interface Invoker {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
}

/**
 * Who may call a URL: decided before the function is invoked. 'forbidden' answers 403
 * `{"Message":"Forbidden"}`, as Lambda does. The resource-policy check (a NONE URL needs a public
 * `lambda:InvokeFunctionUrl` grant; an AWS_IAM one a grant to the signed caller) plugs in here.
 */
export type UrlAccess = (functionName: string, qualifier: string, authType: FunctionUrlAuthType, request: FastifyRequest) => Promise<'allow' | 'forbidden'>;
