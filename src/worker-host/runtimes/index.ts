/**
 * Runtime store: which binary and runtime client run each Lambda runtime id, the cell template
 * a pre-started sandbox of that runtime starts from, and the function environment a sandbox
 * receives when it is specialized. See docs/runtimes.md for the mapping and its stand-ins.
 */
export { RUNTIMES, findRuntime, requiredNodeMajors, type RuntimeDefinition, type RuntimeFamily } from './runtime-catalog.ts';
export { cellTemplate, TASK_ROOT, RUNTIME_DIR, type CellTemplate, type RuntimePaths } from './cell-template.ts';
export {
  buildFunctionEnvironment, logStreamName, RESERVED_ENVIRONMENT_KEYS, PLACEHOLDER_CREDENTIALS,
  type Credentials, type FunctionEnvironmentInput,
} from './function-environment.ts';
export { RuntimeStore, type ResolvedRuntime, type RuntimeResolution } from './runtime-store.ts';
export { defaultRuntimePaths } from './default-runtime-paths.ts';
