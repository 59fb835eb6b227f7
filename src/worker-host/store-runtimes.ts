import { randomBytes } from 'node:crypto';
import { RuntimeUnavailable, type FunctionVersionConfig, type InitializationType, type SandboxCredentials } from '../model/index.ts';
import type { CellTemplate } from './sandbox-pool.ts';
import { buildFunctionEnvironment, logStreamName, type ResolvedRuntime, type RuntimeStore } from './runtimes/index.ts';
import type { RuntimeCatalog } from './worker-host.ts';

/**
 * The worker host's view of the runtime store: runtimes that share a binary share a
 * pool kind (`nodejs22`, `python`, `provided`), and a version's environment is built
 * from Lambda's reserved variables over the user's.
 */
export class StoreRuntimes implements RuntimeCatalog {
  readonly #store: RuntimeStore;
  readonly #region: string;
  readonly #platformVariables: Readonly<Record<string, string>>;

  constructor(store: RuntimeStore, region: string, platformVariables: Readonly<Record<string, string>>) {
    this.#store = store;
    this.#region = region;
    this.#platformVariables = platformVariables;
  }

  kindOf(runtime: string): string {
    const { definition } = this.#resolve(runtime);
    return definition.family === 'nodejs' ? `nodejs${definition.nodeMajor}` : definition.family;
  }

  template(kind: string): CellTemplate {
    const id = kind === 'python' ? 'python3.11' : kind === 'provided' ? 'provided.al2023' : `${kind}.x`;
    return this.#resolve(id).template;
  }

  functionEnvironment(version: FunctionVersionConfig, initType: InitializationType, stream: string, taskRoot: string, credentials?: SandboxCredentials): Record<string, string> {
    const runtime = this.#resolve(version.runtime ?? 'provided.al2023');
    return buildFunctionEnvironment({
      runtime: runtime.definition,
      baseEnv: runtime.template.env,
      functionName: version.functionName,
      version: version.version,
      handler: version.handler ?? '',
      memorySizeMb: version.memorySizeMb,
      region: this.#region,
      userVariables: version.environment,
      logStreamName: stream,
      logGroupName: version.loggingConfig.LogGroup,
      logFormat: version.loggingConfig.LogFormat,
      applicationLogLevel: version.loggingConfig.ApplicationLogLevel,
      initializationType: initType,
      platformVariables: this.#platformVariables,
      taskRoot,
      credentials,
    });
  }

  logStreamName(version: string, nowMs: number): string {
    return logStreamName(nowMs, version, randomBytes(16).toString('hex'));
  }

  #resolve(runtime: string): ResolvedRuntime {
    const r = this.#store.resolve(runtime);
    if (!r.ok) throw new RuntimeUnavailable(r.reason, r.message);
    return r.runtime;
  }
}
