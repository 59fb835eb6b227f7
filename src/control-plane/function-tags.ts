/**
 * TagResource / UntagResource / ListTags on function ARNs. Tags belong to the
 * function (all versions share them); a qualified ARN is refused as Lambda does.
 */
import { errors, parseFunctionRef } from '../shared/index.ts';
import type { FunctionStore } from '../storage/index.ts';
import type { FunctionResolver } from './function-resolver.ts';
import { assertNoViolations, constraint } from '../shared/index.ts';

export const TAGGABLE_ARN_PATTERN = 'arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}(-gov)?-[a-z]+-\\d{1}:\\d{12}:function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
const TAGGABLE_ARN_RE = new RegExp(`^${TAGGABLE_ARN_PATTERN}$`);
export const MAX_TAGS = 50;

export class FunctionTags {
  readonly #functions: FunctionStore;
  readonly #resolver: FunctionResolver;

  constructor(functions: FunctionStore, resolver: FunctionResolver) {
    this.#functions = functions;
    this.#resolver = resolver;
  }

  async list(resource: string): Promise<Record<string, string>> {
    return { ...(await this.#function(resource)).tags };
  }

  async tag(resource: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const fn = await this.#function(resource);
    checkTags(tags);
    const merged = { ...fn.tags, ...tags };
    if (Object.keys(merged).length > MAX_TAGS) throw errors.invalidParameter(`A function can have at most ${MAX_TAGS} tags.`);
    if (!(await this.#functions.setTags(fn.name, merged))) throw this.#resolver.notFound(fn.name);
  }

  async untag(resource: string, tagKeys: readonly string[]): Promise<void> {
    const fn = await this.#function(resource);
    const remaining = Object.fromEntries(Object.entries(fn.tags).filter(([k]) => !tagKeys.includes(k)));
    if (!(await this.#functions.setTags(fn.name, remaining))) throw this.#resolver.notFound(fn.name);
  }

  async #function(resource: string) {
    if (!TAGGABLE_ARN_RE.test(resource)) {
      assertNoViolations([{ value: resource, member: 'resource', constraint: constraint.pattern(TAGGABLE_ARN_PATTERN) }]);
    }
    const ref = parseFunctionRef(resource, this.#resolver.account);
    if (ref === undefined) throw errors.notFound(`Function not found: ${resource}`);
    if (ref.qualifier !== undefined) throw errors.invalidParameter('Tags on function aliases and versions are not supported. Please specify a function ARN.');
    const fn = await this.#functions.getFunction(ref.name);
    if (fn === undefined) throw this.#resolver.notFound(ref.name);
    return fn;
  }
}

/** Tag keys 1-128 characters, values up to 256, no `aws:` prefix (reserved for AWS). */
export function checkTags(tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) throw errors.invalidParameter(`Tag key must be between 1 and 128 characters: '${key}'`);
    if (key.toLowerCase().startsWith('aws:')) throw errors.invalidParameter(`Tag keys starting with 'aws:' are reserved: '${key}'`);
    if (value.length > 256) throw errors.invalidParameter(`Tag value must be at most 256 characters (key '${key}')`);
  }
}
