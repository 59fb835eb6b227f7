/**
 * Lambda layers as Flint keeps them: published layer versions (immutable, their zip in the code
 * store) and the reference a function version holds to each of its layers.
 */

/** One layer a function version uses, in the order it was given (later layers overwrite earlier files in /opt). */
export interface LayerRef {
  /** The layer version ARN (`arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION`). */
  readonly arn: string;
  /** Size of the layer's zip (GetFunction's `Layers[].CodeSize`). */
  readonly codeSize: number;
  /** Hex SHA-256 of the layer's zip: its key in the code store (keeps the blob alive while referenced). */
  readonly sha256Hex: string;
  /** Bytes the layer takes unzipped (the 250 MB quota counts function + layers). */
  readonly unzippedBytes: number;
}

/** A published layer version. */
export interface LayerVersionRecord {
  readonly layerName: string;
  readonly version: number;
  readonly description: string;
  readonly createdMs: number;
  readonly compatibleRuntimes: readonly string[];
  readonly compatibleArchitectures: readonly string[];
  readonly licenseInfo: string | undefined;
  readonly codeSha256Hex: string;
  readonly codeSize: number;
  readonly unzippedBytes: number;
}

/** A layer version's resource-based policy: its statements (JSON objects as rendered) and its RevisionId. */
export interface StoredLayerPolicy {
  readonly statements: ReadonlyArray<Readonly<Record<string, unknown>>>;
  readonly revisionId: string;
}
