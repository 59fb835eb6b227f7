import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './node-sha256.ts';

/** What a request signer is given: a request of Flint's own to its Lambda API. */
export interface RequestToSign {
  readonly method: string;
  /** `HOST:PORT` as the request's Host header carries it. */
  readonly host: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Signs a request (AWS Signature Version 4, service `lambda`) and answers its headers with the signature's. */
export type RequestSigner = (request: RequestToSign) => Promise<Record<string, string>>;

/** A signer with this credential, by @smithy/signature-v4 (the AWS SDK's own signer; the API checks with the same). */
export function requestSigner(credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }, region: string): RequestSigner {
  const signer = new SignatureV4({ credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey }, region, service: 'lambda', sha256: NodeSha256 });
  return async (request) => {
    const signed = await signer.sign({ method: request.method, protocol: 'http:', hostname: request.host, path: request.path, headers: { ...request.headers, host: request.host }, query: {}, body: request.body });
    return signed.headers;
  };
}
