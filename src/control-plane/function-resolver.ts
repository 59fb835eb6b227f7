/**
 * Turns the caller's FunctionName (name, partial ARN, full ARN, optionally
 * qualified) plus an optional Qualifier into one stored version, with Lambda's
 * errors: ValidationException for a malformed name or qualifier,
 * InvalidParameterValueException when the ARN's qualifier and the Qualifier
 * disagree (both rendered as they are), and FunctionNotFound (rendered as
 * ResourceNotFoundException "Function not found: ARN") when nothing matches.
 *
 * The front end uses `resolve` (its FunctionResolver port) for invokes: an alias
 * resolves through its routing weights, and what invokes need is kept in memory
 * per function (dropped on every change heard on the change feed), so a warm
 * invoke does no database read. A function held in memory is read again as soon
 * as it changes, so that the first invoke after a change (a cold start, usually)
 * does not wait for the database either.
 */
import { FunctionNotFound, LATEST, type FunctionVersionConfig, type ResolvedTarget } from '../model/index.ts';
import { errors, functionArn, parseFunctionRef, type Account } from '../shared/index.ts';
import type { AliasRecord } from '../model/index.ts';
import type { AliasStore, FunctionStore } from '../storage/index.ts';
import { functionNameViolations, type NameOperation } from './function-validation.ts';
import { qualifierKind } from './qualifiers.ts';
import { assertNoViolations, constraint, type Violation } from '../shared/index.ts';
import { chooseAliasVersion } from './weighted-routing.ts';

export interface QualifiedName {
  readonly name: string;
  /** From the ARN or the Qualifier parameter; undefined when neither gave one. */
  readonly qualifier: string | undefined;
}

/** A version found for a read, and the alias it was reached through, if any. */
export interface VersionLookup {
  readonly config: FunctionVersionConfig;
  readonly alias: AliasRecord | undefined;
}

export interface FunctionResolverDeps {
  readonly functions: FunctionStore;
  readonly aliases: AliasStore;
  readonly account: Account;
  /** Uniform in [0, 1): the draw behind weighted alias routing. */
  readonly random: () => number;
}

/** What invokes of one function need, held in memory until the function changes. */
interface InvokeView {
  readonly versions: ReadonlyMap<string, FunctionVersionConfig>;
  readonly aliases: ReadonlyMap<string, AliasRecord>;
}

const QUALIFIER_PATTERN = '(|[a-zA-Z0-9$_-]+)';
const QUALIFIER_RE = /^[a-zA-Z0-9$_-]*$/;
export const UNQUALIFIED_ONLY_MESSAGE =
  'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.';

export class FunctionResolver {
  readonly #deps: FunctionResolverDeps;
  readonly #invokeViews = new Map<string, InvokeView>();
  /** Reads under way since the last invalidation, by function: an invoke joins one rather than reading again. */
  readonly #loading = new Map<string, Promise<InvokeView | undefined>>();
  /** Bumped by every invalidation: a view read from the database while one happened is not kept. */
  #generation = 0;

  constructor(deps: FunctionResolverDeps) {
    this.#deps = deps;
  }

  get account(): Account {
    return this.#deps.account;
  }

  /** Parses and checks a FunctionName and an optional Qualifier parameter (no lookup). */
  parse(functionName: string | undefined, operation: NameOperation, qualifierParam?: string): QualifiedName {
    const violations: Violation[] = [...functionNameViolations(functionName, operation), ...qualifierViolations(qualifierParam)];
    assertNoViolations(violations);
    const ref = parseFunctionRef(functionName!, this.#deps.account);
    if (ref === undefined) throw new FunctionNotFound(functionName!);
    if (ref.qualifier !== undefined && qualifierParam !== undefined && ref.qualifier !== qualifierParam) {
      throw errors.invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
    }
    return { name: ref.name, qualifier: ref.qualifier ?? qualifierParam };
  }

  /** The function name of an operation on the function as a whole (no version or alias allowed). */
  unqualified(functionName: string, operation: NameOperation = 'write'): string {
    const target = this.parse(functionName, operation);
    if (target.qualifier !== undefined) throw errors.invalidParameter(UNQUALIFIED_ONLY_MESSAGE);
    return target.name;
  }

  /** The error for a function (or one of its versions or aliases) that does not exist. */
  notFound(name: string, qualifier?: string): FunctionNotFound {
    return new FunctionNotFound(functionArn(this.#deps.account, name, qualifier));
  }

  /** Lambda's 409 for a write while an earlier update of `$LATEST` is still InProgress. Throws it when `latest` is. */
  assertNotUpdating(latest: { readonly lastUpdateStatus: string }, name: string): void {
    if (latest.lastUpdateStatus !== 'InProgress') return;
    throw errors.conflict(`The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(this.#deps.account, name)}`);
  }

  /** The version a qualified name designates for a read (`$LATEST` when unqualified; an alias's primary version). */
  async lookup(target: QualifiedName): Promise<VersionLookup> {
    const qualifier = target.qualifier ?? LATEST;
    const alias = qualifierKind(qualifier) === 'alias' ? await this.#deps.aliases.get(target.name, qualifier) : undefined;
    const version = alias?.functionVersion ?? qualifier;
    const config = await this.#deps.functions.getVersion(target.name, version);
    if (config === undefined) throw this.notFound(target.name, target.qualifier);
    return { config, alias };
  }

  /** Front-end port: FunctionName + Qualifier of an invoke to the version that runs. */
  async resolve(functionName: string, qualifier: string | undefined): Promise<ResolvedTarget> {
    const target = this.parse(functionName, 'read', qualifier);
    const view = this.#invokeViews.get(target.name) ?? (await (this.#loading.get(target.name) ?? this.#loadInvokeView(target.name)));
    const wanted = target.qualifier ?? LATEST;
    const alias = view?.aliases.get(wanted);
    const version = alias === undefined ? wanted : chooseAliasVersion(alias, this.#deps.random());
    const config = view?.versions.get(version);
    if (config === undefined) throw this.notFound(target.name, wanted);
    return { config, invokedFunctionArn: functionArn(this.#deps.account, target.name, target.qualifier) };
  }

  /** Drops what is held in memory about the function (called on every change to it). */
  invalidate(functionName: string): void {
    this.#generation++;
    const held = this.#invokeViews.delete(functionName);
    const loading = this.#loading.delete(functionName);
    // invoked here lately, so likely to be invoked again: read it now, off the invoke path
    if (held || loading) this.#loadInvokeView(functionName).catch(() => undefined);
  }

  /** Reads what invokes of `name` need; kept (and joined by invokes meanwhile) unless a change is heard first. */
  #loadInvokeView(name: string): Promise<InvokeView | undefined> {
    const generation = this.#generation;
    const read = (async () => {
      const versions = await this.#deps.functions.listVersions(name);
      if (versions.length === 0) return undefined;
      const view: InvokeView = {
        versions: new Map(versions.map((c) => [c.version, c])),
        aliases: new Map((await this.#deps.aliases.list(name)).map((a) => [a.name, a])),
      };
      // A change heard while reading may have made what was read stale: use it for this invoke only.
      if (generation === this.#generation) this.#invokeViews.set(name, view);
      return view;
    })();
    this.#loading.set(name, read);
    const done = () => {
      if (this.#loading.get(name) === read) this.#loading.delete(name);
    };
    read.then(done, done);
    return read;
  }
}

function qualifierViolations(qualifier: string | undefined): Violation[] {
  if (qualifier === undefined) return [];
  const member = 'qualifier';
  if (qualifier.length < 1) return [{ value: qualifier, member, constraint: constraint.minLength(1) }];
  if (qualifier.length > 128) return [{ value: qualifier, member, constraint: constraint.maxLength(128) }];
  return QUALIFIER_RE.test(qualifier) ? [] : [{ value: qualifier, member, constraint: constraint.pattern(QUALIFIER_PATTERN) }];
}
