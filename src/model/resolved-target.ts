import type { FunctionVersionConfig } from './function-config.ts';

/** The version an invoke runs, as resolved from FunctionName and Qualifier (an alias through its weights). */
export interface ResolvedTarget {
  /** The configuration of the version that will run. */
  readonly config: FunctionVersionConfig;
  /** The ARN as invoked: unqualified, or with the qualifier (version or alias) the caller used. */
  readonly invokedFunctionArn: string;
}
