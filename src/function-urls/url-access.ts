/**
 * Who may call a function URL, as Lambda decides it: the resource-based policy of the URL's target
 * (the function, or the alias the URL is on) must let the caller both `lambda:InvokeFunctionUrl`
 * and `lambda:InvokeFunction` (the rule since October 2025, docs/policies.md). A NONE URL's caller is
 * anyone (`*`); an AWS_IAM URL's caller must sign the request, and a caller of the function's own
 * account needs no grant (its identity policies decide, and Flint has no identities yet: until the
 * authentication work lands the signature is not verified and its access key names the caller).
 */
import type { FunctionUrlAuthType } from '../model/index.ts';
import type { UrlAccess } from './ports.ts';

/** The resource policy's answer for the anonymous caller of a NONE URL (both actions). */
export type PublicGrant = (functionName: string, qualifier: string | undefined) => Promise<boolean>;

const SIGNED = /^AWS4-HMAC-SHA256\s/;

/** The UrlAccess of Flint's URLs over the resource policies' public grant. */
export function policyAccess(publicGrant: PublicGrant): UrlAccess {
  return async (functionName, qualifier, authType: FunctionUrlAuthType, request) => {
    if (authType === 'AWS_IAM') return SIGNED.test(request.headers.authorization ?? '') ? 'allow' : 'forbidden';
    return (await publicGrant(functionName, qualifier === '$LATEST' ? undefined : qualifier)) ? 'allow' : 'forbidden';
  };
}
