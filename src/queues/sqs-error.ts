/**
 * SQS's errors: the name the JSON protocol answers (`__type`, and the SDK's exception class),
 * the code of the query protocol (also sent to JSON clients in `x-amzn-query-error`), the status.
 */
const WIRE: Readonly<Record<string, readonly [queryCode: string, status: number]>> = {
  QueueDoesNotExist: ['AWS.SimpleQueueService.NonExistentQueue', 400],
  QueueNameExists: ['QueueAlreadyExists', 400],
  InvalidAttributeName: ['InvalidAttributeName', 400],
  InvalidAttributeValue: ['InvalidAttributeValue', 400],
  InvalidParameterValue: ['InvalidParameterValue', 400],
  MissingParameter: ['MissingParameter', 400],
  ReceiptHandleIsInvalid: ['ReceiptHandleIsInvalid', 400],
  TooManyEntriesInBatchRequest: ['AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400],
  BatchEntryIdsNotDistinct: ['AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400],
  EmptyBatchRequest: ['AWS.SimpleQueueService.EmptyBatchRequest', 400],
  InvalidBatchEntryId: ['AWS.SimpleQueueService.InvalidBatchEntryId', 400],
  BatchRequestTooLong: ['AWS.SimpleQueueService.BatchRequestTooLong', 400],
  PurgeQueueInProgress: ['AWS.SimpleQueueService.PurgeQueueInProgress', 403],
  InvalidMessageContents: ['InvalidMessageContents', 400],
  MessageNotInflight: ['AWS.SimpleQueueService.MessageNotInflight', 400],
  UnsupportedOperation: ['AWS.SimpleQueueService.UnsupportedOperation', 400],
  InvalidAction: ['InvalidAction', 400],
  InvalidAddress: ['InvalidAddress', 404],
  UnknownOperationException: ['UnknownOperationException', 400],
  SerializationException: ['SerializationException', 400],
  // the front door's answers (SigV4 and authorisation), AWS's common errors as SQS gives them
  SignatureDoesNotMatch: ['SignatureDoesNotMatch', 403],
  InvalidClientTokenId: ['InvalidClientTokenId', 403],
  MissingAuthenticationToken: ['MissingAuthenticationToken', 403],
  IncompleteSignature: ['IncompleteSignature', 400],
  AccessDeniedException: ['AccessDenied', 403],
  RequestEntityTooLarge: ['RequestEntityTooLarge', 413],
};

/** Errors that are AWS's common errors rather than SQS's own: their JSON `__type` names the front door's namespace, as SQS's does. */
const COMMON = new Set(['SignatureDoesNotMatch', 'InvalidClientTokenId', 'MissingAuthenticationToken', 'IncompleteSignature', 'AccessDeniedException', 'RequestEntityTooLarge']);

export type SqsErrorName = keyof typeof WIRE;

export class SqsError extends Error {
  readonly code: string;

  constructor(code: SqsErrorName, message: string) {
    super(message);
    this.name = 'SqsError';
    this.code = code;
  }

  get queryCode(): string {
    return WIRE[this.code]![0];
  }

  get status(): number {
    return WIRE[this.code]![1];
  }

  /** The JSON protocol's `__type`. */
  get jsonType(): string {
    return `${COMMON.has(this.code) ? 'com.amazon.coral.service' : 'com.amazonaws.sqs'}#${this.code}`;
  }
}

/** Lambda's names of the front door's refusals (src/auth) -> SQS's. */
const FROM_API_ERROR: Readonly<Record<string, SqsErrorName>> = {
  InvalidSignatureException: 'SignatureDoesNotMatch',
  UnrecognizedClientException: 'InvalidClientTokenId',
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature',
  AccessDeniedException: 'AccessDeniedException',
};

const MISSING_TOKEN = 'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.';

/**
 * An error thrown for an SQS request before its operation ran, in SQS's terms: the SigV4 and
 * authorisation refusals (an ApiError of src/auth) and Fastify's refusals of the request itself
 * (a Content-Type it cannot read, a body over the limit). Undefined for anything else.
 */
export function sqsErrorOf(err: Error & { statusCode?: number; code?: string }): SqsError | undefined {
  if (err instanceof SqsError) return err;
  const mapped = Object.hasOwn(FROM_API_ERROR, err.name) ? FROM_API_ERROR[err.name] : undefined;
  if (mapped !== undefined) return new SqsError(mapped, mapped === 'MissingAuthenticationToken' ? MISSING_TOKEN : err.message);
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new SqsError('RequestEntityTooLarge', 'Request body is too large.');
  const clientFault = err.code?.startsWith('FST_') === true && err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500;
  if (clientFault) return new SqsError('SerializationException', 'The request body could not be read.');
  return undefined;
}

export const queueDoesNotExist = (): SqsError => new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
export const missingParameter = (name: string): SqsError => new SqsError('MissingParameter', `The request must contain the parameter ${name}.`);
export const invalidParameter = (name: string, value: unknown, reason: string): SqsError =>
  new SqsError('InvalidParameterValue', `Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);
