import { FunctionNotFound, type FunctionUrlConfigRecord } from '../model/index.ts';
import { errors, functionArn, type Account, type ApiError, type Clock } from '../shared/index.ts';
import type { FunctionUrlConfigStore } from '../storage/index.ts';
import type { FunctionLookup } from './ports.ts';
import { configInputError, qualifierError, storedCors, type FunctionUrlConfigInput } from './url-config-validation.ts';
import { newUrlId } from './url-id.ts';

export interface FunctionUrlConfigServiceDeps {
  readonly store: FunctionUrlConfigStore;
  readonly functions: FunctionLookup;
  readonly account: Account;
  readonly clock: Clock;
  /** `host:port` the URLs are served on (`localhost:9000`): a URL is `http://<url-id>.lambda-url.<region>.<this>/`. */
  readonly urlHost: () => string;
}

export interface FunctionUrlConfigPage {
  readonly configs: readonly FunctionUrlConfigRecord[];
  readonly nextMarker: string | undefined;
}

const LATEST = '$LATEST';
export const MAX_LIST_ITEMS = 50;
const FUNCTION_MISSING = 'Function does not exist';
const CONFIG_MISSING = 'The resource you requested does not exist.';

/**
 * Create / Get / Update / Delete / List FunctionUrlConfig, with Lambda's checks in its order:
 * model constraints, the function (and alias) exists, one config per qualifier.
 */
export class FunctionUrlConfigService {
  readonly #deps: FunctionUrlConfigServiceDeps;

  constructor(deps: FunctionUrlConfigServiceDeps) {
    this.#deps = deps;
  }

  async create(functionName: string, qualifierParam: string | undefined, input: FunctionUrlConfigInput): Promise<FunctionUrlConfigRecord> {
    const target = this.#deps.functions.parse(functionName, 'write', qualifierParam);
    const invalid = configInputError(target.qualifier, input, true);
    if (invalid) throw invalid;
    await this.#assertExists(target.name, target.qualifier);
    const qualifier = target.qualifier ?? LATEST;
    const now = this.#deps.clock.now();
    const config: FunctionUrlConfigRecord = {
      functionName: target.name,
      qualifier,
      urlId: newUrlId(),
      authType: input.AuthType as FunctionUrlConfigRecord['authType'],
      cors: storedCors(input.Cors),
      invokeMode: (input.InvokeMode ?? 'BUFFERED') as FunctionUrlConfigRecord['invokeMode'],
      creationMs: now,
      lastModifiedMs: now,
    };
    if (!(await this.#deps.store.insert(config))) {
      throw errors.conflict(`Failed to create function url config for [functionArn = ${this.arnOf(config)}]. Error message:  FunctionUrlConfig exists for this Lambda function`);
    }
    return config;
  }

  async get(functionName: string, qualifierParam: string | undefined): Promise<FunctionUrlConfigRecord> {
    const target = await this.#target(functionName, qualifierParam, 'read');
    const config = await this.#deps.store.get(target.name, target.qualifier);
    if (config === undefined) throw errors.notFound(CONFIG_MISSING);
    return config;
  }

  /** Changes the settings given; a Cors given replaces the old one whole. */
  async update(functionName: string, qualifierParam: string | undefined, input: FunctionUrlConfigInput): Promise<FunctionUrlConfigRecord> {
    const parsed = this.#deps.functions.parse(functionName, 'write', qualifierParam);
    const invalid = configInputError(parsed.qualifier, input, false);
    if (invalid) throw invalid;
    await this.#assertExists(parsed.name, parsed.qualifier);
    const current = await this.#deps.store.get(parsed.name, parsed.qualifier ?? LATEST);
    if (current === undefined) throw errors.notFound(CONFIG_MISSING);
    const next: FunctionUrlConfigRecord = {
      ...current,
      authType: (input.AuthType ?? current.authType) as FunctionUrlConfigRecord['authType'],
      invokeMode: (input.InvokeMode ?? current.invokeMode) as FunctionUrlConfigRecord['invokeMode'],
      cors: input.Cors === undefined ? current.cors : storedCors(input.Cors),
      lastModifiedMs: this.#deps.clock.now(),
    };
    if (!(await this.#deps.store.update(next))) throw errors.notFound(CONFIG_MISSING);
    return next;
  }

  async delete(functionName: string, qualifierParam: string | undefined): Promise<void> {
    const target = await this.#target(functionName, qualifierParam, 'write');
    if (!(await this.#deps.store.delete(target.name, target.qualifier))) throw errors.notFound(CONFIG_MISSING);
  }

  async list(functionName: string, marker: string | undefined, maxItems: number | undefined): Promise<FunctionUrlConfigPage> {
    const name = this.#deps.functions.parse(functionName, 'read').name;
    await this.#assertExists(name, undefined);
    const limit = maxItems ?? MAX_LIST_ITEMS;
    const page = await this.#deps.store.list(name, marker, limit + 1);
    const configs = page.slice(0, limit);
    return { configs, nextMarker: page.length > limit ? configs.at(-1)?.qualifier : undefined };
  }

  /** The ARN a config answers with: unqualified for `$LATEST`, the alias ARN for an alias. */
  arnOf(config: FunctionUrlConfigRecord): string {
    return functionArn(this.#deps.account, config.functionName, config.qualifier === LATEST ? undefined : config.qualifier);
  }

  urlOf(config: FunctionUrlConfigRecord): string {
    return `http://${config.urlId}.lambda-url.${this.#deps.account.region}.${this.#deps.urlHost()}/`;
  }

  async #target(functionName: string, qualifierParam: string | undefined, operation: 'read' | 'write'): Promise<{ name: string; qualifier: string }> {
    const target = this.#deps.functions.parse(functionName, operation, qualifierParam);
    const invalid = qualifierError(target.qualifier);
    if (invalid) throw invalid;
    await this.#assertExists(target.name, target.qualifier);
    return { name: target.name, qualifier: target.qualifier ?? LATEST };
  }

  async #assertExists(name: string, qualifier: string | undefined): Promise<void> {
    try {
      await this.#deps.functions.resolve(name, qualifier);
    } catch (err) {
      if (err instanceof FunctionNotFound) throw notFound();
      throw err;
    }
  }
}

function notFound(): ApiError {
  return errors.notFound(FUNCTION_MISSING);
}
