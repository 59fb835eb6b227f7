/**
 * Who may call a function URL, as Lambda decides it: the resource-based policy of the URL's target
 * (the function, or the alias the URL is on) must let the caller both `lambda:InvokeFunctionUrl`
 * and `lambda:InvokeFunction` (the rule since October 2025, docs/policies.md). A NONE URL's caller is
 * anyone (`*`); an AWS_IAM URL's caller must sign the request, and a caller of the function's own
 * account needs no grant (its identity policies decide). With `--auth sigv4` the `IamGrant` verifies
 * the signature (service `lambda`) and checks the policy for the caller's account; with `--auth
 * none` any signed request passes.
 */
import type { FunctionUrlAuthType } from '../model/index.ts';
import type { FastifyRequest } from '../api/index.ts';
import type { UrlAccess } from './ports.ts';

/** The resource policy's answer for the anonymous caller of a NONE URL (both actions). */
export type PublicGrant = (functionName: string, qualifier: string | undefined) => Promise<boolean>;

/** Whether an AWS_IAM URL's request is signed by a caller the URL's target lets invoke it. */
export type IamGrant = (functionName: string, qualifier: string | undefined, request: FastifyRequest) => Promise<boolean>;

const SIGNED = /^AWS4-HMAC-SHA256\s/;

/** `--auth none`: any request signed in the header form passes (the signature is not checked). */
export const anySignedRequest: IamGrant = (_name, _qualifier, request) => Promise.resolve(SIGNED.test(request.headers.authorization ?? ''));

/** The UrlAccess of Flint's URLs over the resource policies' public grant. */
export function policyAccess(publicGrant: PublicGrant, iamGrant: IamGrant = anySignedRequest): UrlAccess {
  return async (functionName, qualifier, authType: FunctionUrlAuthType, request) => {
    const target = qualifier === '$LATEST' ? undefined : qualifier;
    if (authType === 'AWS_IAM') return (await iamGrant(functionName, target, request)) ? 'allow' : 'forbidden';
    return (await publicGrant(functionName, target)) ? 'allow' : 'forbidden';
  };
}
