import { FunctionNotFound } from '../model/index.ts';
import { errors, functionArn, type Account, type ApiError, type Clock } from '../shared/index.ts';
import type { EventInvokeSettings } from '../model/index.ts';
import type { StoredEventInvokeConfig } from '../model/index.ts';
import { assertSomethingToSet, destinationOf, validationError, type EventInvokeConfigInput } from './event-invoke-config-validation.ts';
import type { FunctionLookup } from './ports.ts';
import type { EventInvokeConfigStore } from '../storage/index.ts';

export interface EventInvokeConfigServiceDeps {
  readonly store: EventInvokeConfigStore;
  readonly functions: FunctionLookup;
  readonly account: Account;
  readonly clock: Clock;
}

export interface EventInvokeConfigPage {
  readonly configs: readonly StoredEventInvokeConfig[];
  readonly nextMarker: string | undefined;
}

const LATEST = '$LATEST';
export const MAX_LIST_ITEMS = 50;

/**
 * Put / Update / Get / List / Delete FunctionEventInvokeConfig with Lambda's
 * checks in Lambda's order: model constraints, at least one setting, the
 * function (version) exists, destinations are usable.
 */
export class EventInvokeConfigService {
  readonly #deps: EventInvokeConfigServiceDeps;

  constructor(deps: EventInvokeConfigServiceDeps) {
    this.#deps = deps;
  }

  /** Replaces the configuration; settings left out are removed. */
  async put(functionName: string, qualifierParam: string | undefined, input: EventInvokeConfigInput): Promise<StoredEventInvokeConfig> {
    const target = await this.#checkWrite(functionName, qualifierParam, input);
    return this.#save(target.name, target.qualifier, {
      maximumRetryAttempts: input.MaximumRetryAttempts,
      maximumEventAgeInSeconds: input.MaximumEventAgeInSeconds,
      onSuccess: nonEmpty(input.DestinationConfig?.OnSuccess?.Destination),
      onFailure: nonEmpty(input.DestinationConfig?.OnFailure?.Destination),
    });
  }

  /** Changes only the settings given; the configuration must exist. */
  async update(functionName: string, qualifierParam: string | undefined, input: EventInvokeConfigInput): Promise<StoredEventInvokeConfig> {
    const target = await this.#checkWrite(functionName, qualifierParam, input);
    const current = await this.#deps.store.get(target.name, target.qualifier);
    if (current === undefined) throw this.#noConfig(target.name, target.qualifier);
    const d = input.DestinationConfig;
    const s = current.settings;
    return this.#save(target.name, target.qualifier, {
      maximumRetryAttempts: input.MaximumRetryAttempts ?? s.maximumRetryAttempts,
      maximumEventAgeInSeconds: input.MaximumEventAgeInSeconds ?? s.maximumEventAgeInSeconds,
      onSuccess: d?.OnSuccess === undefined ? s.onSuccess : nonEmpty(d.OnSuccess.Destination),
      onFailure: d?.OnFailure === undefined ? s.onFailure : nonEmpty(d.OnFailure.Destination),
    });
  }

  async get(functionName: string, qualifierParam: string | undefined): Promise<StoredEventInvokeConfig> {
    const target = this.#parse(functionName, qualifierParam);
    const config = await this.#deps.store.get(target.name, target.qualifier);
    if (config === undefined) throw this.#noConfig(target.name, target.qualifier);
    return config;
  }

  async list(functionName: string, marker: string | undefined, maxItems: number | undefined): Promise<EventInvokeConfigPage> {
    const name = this.#deps.functions.parse(functionName, 'write').name;
    if (!(await this.#exists(name, undefined))) throw errors.notFound("The function doesn't exist.");
    const limit = maxItems ?? MAX_LIST_ITEMS;
    const page = await this.#deps.store.list(name, marker, limit + 1);
    const configs = page.slice(0, limit);
    return { configs, nextMarker: page.length > limit ? configs.at(-1)?.qualifier : undefined };
  }

  async delete(functionName: string, qualifierParam: string | undefined): Promise<void> {
    const target = this.#parse(functionName, qualifierParam);
    if (!(await this.#deps.store.delete(target.name, target.qualifier))) throw this.#noConfig(target.name, target.qualifier);
  }

  /** The qualified ARN a configuration answers with. */
  arnOf(config: StoredEventInvokeConfig): string {
    return functionArn(this.#deps.account, config.functionName, config.qualifier);
  }

  #parse(functionName: string, qualifierParam: string | undefined): { name: string; qualifier: string } {
    const t = this.#deps.functions.parse(functionName, 'write', qualifierParam);
    return { name: t.name, qualifier: t.qualifier ?? LATEST };
  }

  async #checkWrite(functionName: string, qualifierParam: string | undefined, input: EventInvokeConfigInput): Promise<{ name: string; qualifier: string }> {
    const target = this.#parse(functionName, qualifierParam);
    const invalid = validationError(input);
    if (invalid) throw invalid;
    assertSomethingToSet(input);
    if (!(await this.#exists(target.name, target.qualifier))) throw errors.notFound("The function doesn't exist.");
    for (const arn of [input.DestinationConfig?.OnSuccess?.Destination, input.DestinationConfig?.OnFailure?.Destination]) {
      if (nonEmpty(arn) === undefined) continue;
      const dest = destinationOf(arn!, this.#deps.account, target.name);
      if (dest.kind === 'function' && !(await this.#exists(dest.name, dest.qualifier))) throw errors.invalidParameter(`The destination ARN ${arn} is invalid.`);
    }
    return target;
  }

  async #save(functionName: string, qualifier: string, settings: EventInvokeSettings): Promise<StoredEventInvokeConfig> {
    const config = { functionName, qualifier, settings, lastModifiedMs: this.#deps.clock.now() };
    await this.#deps.store.put(config);
    return config;
  }

  async #exists(name: string, qualifier: string | undefined): Promise<boolean> {
    try {
      await this.#deps.functions.resolve(name, qualifier);
      return true;
    } catch (err) {
      if (err instanceof FunctionNotFound) return false;
      throw err;
    }
  }

  #noConfig(name: string, qualifier: string): ApiError {
    return errors.notFound(`The function ${functionArn(this.#deps.account, name, qualifier)} doesn't have an EventInvokeConfig`);
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
