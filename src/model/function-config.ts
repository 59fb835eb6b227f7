/**
 * The configuration of one function version, as Flint keeps it. `$LATEST` is
 * mutable; published versions are immutable snapshots of it.
 */
import type { LayerRef } from './layer.ts';

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
  /**
   * The customer managed key the caller named for the variables (`KMSKeyArn`), recorded and shown;
   * Flint has no KMS and seals them under its own master key either way (docs/control-plane.md).
   */
  readonly kmsKeyArn?: string | undefined;
  /** `DeadLetterConfig.TargetArn`: the SQS queue a failed asynchronous event is sent to after its retries (absent: none). */
  readonly deadLetterTargetArn?: string | undefined;
  readonly architectures: readonly Architecture[];
  /** The layers, in order (each is extracted over the previous ones into /opt). */
  readonly layers: readonly LayerRef[];
  readonly packageType: 'Zip';
  readonly loggingConfig: LoggingConfig;
  readonly tracingMode: 'Active' | 'PassThrough';
  /** Hex SHA-256 of the deployment package: the key of its blob in the code store. */
  readonly codeSha256Hex: string;
  readonly codeSize: number;
  /** Bytes the package takes unzipped (with the layers', under the 250 MB quota); absent on versions written before layers. */
  readonly codeUnzippedBytes?: number | undefined;
  readonly revisionId: string;
  readonly lastModifiedMs: number;
  readonly state: FunctionState;
  readonly lastUpdateStatus: LastUpdateStatus;
}
