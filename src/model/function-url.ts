/** A function URL's configuration as stored (one per function `$LATEST` or alias). */

export type FunctionUrlAuthType = 'NONE' | 'AWS_IAM';
export type FunctionUrlInvokeMode = 'BUFFERED' | 'RESPONSE_STREAM';

/** The CORS settings of a URL, in Lambda's member names (as the API takes and shows them). */
export interface FunctionUrlCors {
  readonly AllowCredentials?: boolean | undefined;
  readonly AllowHeaders?: readonly string[] | undefined;
  readonly AllowMethods?: readonly string[] | undefined;
  readonly AllowOrigins?: readonly string[] | undefined;
  readonly ExposeHeaders?: readonly string[] | undefined;
  readonly MaxAge?: number | undefined;
}

export interface FunctionUrlConfigRecord {
  readonly functionName: string;
  /** `$LATEST` (a URL created without a qualifier) or an alias name. */
  readonly qualifier: string;
  /** The URL's host label: 32 lowercase alphanumerics, fixed for the config's life. */
  readonly urlId: string;
  readonly authType: FunctionUrlAuthType;
  readonly cors: FunctionUrlCors | undefined;
  readonly invokeMode: FunctionUrlInvokeMode;
  readonly creationMs: number;
  readonly lastModifiedMs: number;
}
