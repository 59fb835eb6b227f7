/**
 * Authentication and authorisation of Flint's APIs (docs/auth.md): AWS Signature Version 4 in both
 * forms, verified with @smithy/signature-v4 against the root credential, the users of the credential
 * store and the execution-role sessions of sandboxes; the caller's account against the functions'
 * resource-based policies; the one `preHandler` hook that applies both to every API route.
 */
export { Authenticator, MAX_CLOCK_SKEW_MS, INVALID_TOKEN, tokenDigest } from './authenticator.ts';
export { Authorizer, type ResourcePolicyCheck } from './authorizer.ts';
export { registerAuthHook, callerOf, signedRequestOf, type AuthHookDeps } from './auth-hook.ts';
export { rootArn, userArn, assumedRoleArn, type CallerIdentity, type KeyDirectory, type KnownKey } from './caller-identity.ts';
export { StoredKeyDirectory, type RootCredential } from './key-directory.ts';
export { SecretSeal } from './secret-seal.ts';
export { newAccessKeyId, newSecretAccessKey } from './access-keys.ts';
export { ExecutionCredentials, EXECUTION_CREDENTIALS_TTL_MS, type TemporaryCredentials } from './execution-credentials.ts';
export { operationOf, type Operation } from './operations.ts';
export { parseSignature, type ParsedSignature } from './signature-parser.ts';
export { requestSigner, type RequestSigner, type RequestToSign } from './request-signer.ts';
export type { SignedRequest } from './signed-request.ts';
