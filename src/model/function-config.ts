/**
 * The configuration of one function version, as Flint keeps it. `$LATEST` is
 * mutable; published versions are immutable snapshots of it.
 */
export type FunctionState = 'Pending' | 'Active' | 'Inactive' | 'Failed';
export type LastUpdateStatus = 'Successful' | 'Failed' | 'InProgress';
export type Architecture = 'x86_64' | 'arm64';

export const LATEST = '$LATEST';

export interface LoggingConfig {
  readonly LogFormat: 'Text' | 'JSON';
  readonly ApplicationLogLevel?: string;
  readonly SystemLogLevel?: string;
  readonly LogGroup: string;
}

export interface FunctionVersionConfig {
  readonly functionName: string;
  /** `$LATEST` or a published version number as a string. */
  readonly version: string;
  readonly runtime: string | undefined;
  readonly handler: string | undefined;
  readonly role: string;
  readonly description: string;
  readonly timeoutSec: number;
  readonly memorySizeMb: number;
  readonly ephemeralStorageMb: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly architectures: readonly Architecture[];
  readonly layers: readonly string[];
  readonly packageType: 'Zip';
  readonly loggingConfig: LoggingConfig;
  readonly tracingMode: 'Active' | 'PassThrough';
  /** Hex SHA-256 of the deployment package: the key of its blob in the code store. */
  readonly codeSha256Hex: string;
  readonly codeSize: number;
  readonly revisionId: string;
  readonly lastModifiedMs: number;
  readonly state: FunctionState;
  readonly lastUpdateStatus: LastUpdateStatus;
}
