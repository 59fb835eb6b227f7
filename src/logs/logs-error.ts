/**
 * CloudWatch Logs' errors as its JSON protocol (awsJson1_1) answers them: status 400 and
 * `{"__type": CODE, "message": TEXT}`, with AWS's texts. Kept apart from Lambda's ApiError
 * catalog: the two services render errors differently.
 */
export type LogsErrorCode =
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'InvalidParameterException'
  | 'SerializationException'
  | 'UnknownOperationException';

export class LogsError extends Error {
  readonly code: LogsErrorCode;

  constructor(code: LogsErrorCode, message: string) {
    super(message);
    this.name = code;
    this.code = code;
  }
}

export const logsErrors = {
  groupNotFound: () => new LogsError('ResourceNotFoundException', 'The specified log group does not exist.'),
  streamNotFound: () => new LogsError('ResourceNotFoundException', 'The specified log stream does not exist.'),
  groupExists: () => new LogsError('ResourceAlreadyExistsException', 'The specified log group already exists'),
  invalid: (message: string) => new LogsError('InvalidParameterException', message),
  /** AWS's model-constraint text: `1 validation error detected: Value 'X' at 'member' failed to satisfy constraint: ...`. */
  constraint: (value: unknown, member: string, constraint: string) =>
    new LogsError('InvalidParameterException', `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`),
};

export function renderLogsError(err: LogsError): { status: number; body: { __type: string; message: string } } {
  return { status: 400, body: { __type: err.code, message: err.message } };
}
