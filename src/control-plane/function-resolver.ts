/**
 * Turns the caller's FunctionName (name, partial ARN, full ARN, optionally
 * qualified) plus an optional Qualifier into one stored version, with Lambda's
 * errors: ValidationException for a malformed name or qualifier,
 * InvalidParameterValueException when the ARN's qualifier and the Qualifier
 * disagree, ResourceNotFoundException "Function not found: ARN" otherwise.
 * The front end uses `resolve` (its FunctionResolver port) for invokes.
 */
import { LATEST, type FunctionVersionConfig } from '../model/index.ts';
import type { ApiError} from '../shared/index.ts';
import { errors, functionArn, parseFunctionRef, type Account } from '../shared/index.ts';
import type { FunctionRepository } from './function-repository.ts';
import { functionNameViolations, type NameOperation } from './function-validation.ts';
import { assertNoViolations, constraint, type Violation } from './validation-message.ts';

export interface QualifiedName {
  readonly name: string;
  /** From the ARN or the Qualifier parameter; undefined when neither gave one. */
  readonly qualifier: string | undefined;
}

export interface ResolvedTarget {
  readonly config: FunctionVersionConfig;
  /** The ARN as invoked: unqualified, or with the qualifier the caller used. */
  readonly invokedFunctionArn: string;
}

const QUALIFIER_PATTERN = '(|[a-zA-Z0-9$_-]+)';
const QUALIFIER_RE = /^[a-zA-Z0-9$_-]*$/;

export class FunctionResolver {
  readonly #repository: FunctionRepository;
  readonly #account: Account;

  constructor(repository: FunctionRepository, account: Account) {
    this.#repository = repository;
    this.#account = account;
  }

  get account(): Account {
    return this.#account;
  }

  /** Parses and checks a FunctionName and an optional Qualifier parameter (no lookup). */
  parse(functionName: string | undefined, operation: NameOperation, qualifierParam?: string): QualifiedName {
    const violations: Violation[] = [...functionNameViolations(functionName, operation), ...qualifierViolations(qualifierParam)];
    assertNoViolations(violations);
    const ref = parseFunctionRef(functionName!, this.#account);
    if (ref === undefined) throw errors.notFound(`Function not found: ${functionName}`);
    if (ref.qualifier !== undefined && qualifierParam !== undefined && ref.qualifier !== qualifierParam) {
      throw errors.invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
    }
    return { name: ref.name, qualifier: ref.qualifier ?? qualifierParam };
  }

  /** The 404 for a function (or one of its versions) that does not exist. */
  notFound(name: string, qualifier?: string): ApiError {
    return errors.notFound(`Function not found: ${functionArn(this.#account, name, qualifier)}`);
  }

  /** The version a qualified name designates (`$LATEST` when unqualified). */
  getVersion(target: QualifiedName): FunctionVersionConfig {
    // TODO(issue 4): a qualifier that is an alias name resolves through the alias (with routing weights for invokes).
    const config = this.#repository.getVersion(target.name, target.qualifier ?? LATEST);
    if (config === undefined) throw this.notFound(target.name, target.qualifier);
    return config;
  }

  /** Front-end port: FunctionName + Qualifier of an invoke to the version that runs. */
  resolve(functionName: string, qualifier: string | undefined): ResolvedTarget {
    const target = this.parse(functionName, 'read', qualifier);
    const config = this.#repository.getVersion(target.name, target.qualifier ?? LATEST);
    if (config === undefined) throw this.notFound(target.name, target.qualifier ?? LATEST);
    return { config, invokedFunctionArn: functionArn(this.#account, target.name, target.qualifier) };
  }
}

function qualifierViolations(qualifier: string | undefined): Violation[] {
  if (qualifier === undefined) return [];
  const member = 'qualifier';
  if (qualifier.length < 1) return [{ value: qualifier, member, constraint: constraint.minLength(1) }];
  if (qualifier.length > 128) return [{ value: qualifier, member, constraint: constraint.maxLength(128) }];
  return QUALIFIER_RE.test(qualifier) ? [] : [{ value: qualifier, member, constraint: constraint.pattern(QUALIFIER_PATTERN) }];
}
