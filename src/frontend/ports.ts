/** What the front end needs from other components. */
import type { FunctionVersionConfig } from '../model/index.ts';

export interface ResolvedTarget {
  /** The configuration of the version that will run. */
  readonly config: FunctionVersionConfig;
  /** The ARN as invoked: unqualified, or with the qualifier the caller used. */
  readonly invokedFunctionArn: string;
}

/** Resolves FunctionName (+ Qualifier) to one version; throws the API's 404 / 400 errors. */
export interface FunctionResolver {
  resolve(functionName: string, qualifier: string | undefined): ResolvedTarget;
}
