/**
 * The rules of the layer operations: PublishLayerVersion (the zip through the same checks as
 * function code, stored before the row that names it), Get / GetByArn / List / ListVersions,
 * DeleteLayerVersion (gone from listings at once; its package stays while a function version
 * uses it), the layer version policy, and turning a function's `Layers` into the references
 * its version keeps (with Lambda's texts for missing, repeated and too many layers).
 */
import type { LayerRef, LayerVersionRecord, StoredLayerPolicy } from '../model/index.ts';
import { errors, type Account, type Clock } from '../shared/index.ts';
import type { LayerStore } from '../storage/index.ts';
import type { DeploymentPackages } from './deployment-packages.ts';
import { checkLayerCount } from './function-validation.ts';
import {
  LAYER_NOT_FOUND_MESSAGE,
  checkCombinedSize,
  checkDistinctLayers,
  checkListFilters,
  checkPublishLayer,
  checkVersionNumber,
  layerNameOf,
  layerVersionNotFound,
  parseLayerVersionArn,
  type PublishLayerInput,
} from './layer-validation.ts';
import { layerVersionArn } from './layer-view.ts';
import { pageOf, type Page, type PageRequest } from './paging.ts';
import { revisionMismatch } from './revision.ts';
import { assertNoViolations, constraint, type Violation } from '../shared/index.ts';

export interface PublishLayerCommand extends PublishLayerInput {
  readonly zip: Buffer;
}

export interface ListLayersQuery extends PageRequest {
  readonly compatibleRuntime?: string | undefined;
  readonly compatibleArchitecture?: string | undefined;
}

export interface AddLayerPermissionCommand {
  readonly layerName: string;
  readonly version: number;
  readonly statementId: string | undefined;
  readonly action: string | undefined;
  readonly principal: string | undefined;
  readonly organizationId: string | undefined;
  readonly revisionId: string | undefined;
}

export interface LayerServiceDeps {
  readonly layers: LayerStore;
  readonly packages: DeploymentPackages;
  readonly account: Account;
  readonly clock: Clock;
  readonly newRevisionId: () => string;
  /** Lambda's quota on function code and layers together, unzipped (262144000 bytes). */
  readonly maxUnzippedBytes: number;
}

const PAGE = { cap: 50, maxItemsLimit: 50 };
const STATEMENT_ID_PATTERN = '([a-zA-Z0-9-_]+)';
const ACTION_PATTERN = 'lambda:GetLayerVersion';
const PRINCIPAL_PATTERN = '\\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root';
const ORGANIZATION_PATTERN = 'o-[a-z0-9]{10,32}';

export class LayerService {
  readonly #deps: LayerServiceDeps;

  constructor(deps: LayerServiceDeps) {
    this.#deps = deps;
  }

  get account(): Account {
    return this.#deps.account;
  }

  async publish(cmd: PublishLayerCommand): Promise<LayerVersionRecord> {
    checkPublishLayer(cmd);
    const layerName = layerNameOf(cmd.layerName, this.#deps.account);
    const manifest = await this.#deps.packages.inspect(cmd.zip);
    return this.#deps.packages.storeAndCommit(cmd.zip, (stored) =>
      this.#deps.layers.publish({
        layerName,
        description: cmd.description ?? '',
        createdMs: this.#deps.clock.now(),
        compatibleRuntimes: [...(cmd.compatibleRuntimes ?? [])],
        compatibleArchitectures: [...(cmd.compatibleArchitectures ?? [])],
        licenseInfo: cmd.licenseInfo,
        codeSha256Hex: stored.sha256Hex,
        codeSize: stored.size,
        unzippedBytes: manifest.unzippedBytes,
      }),
    );
  }

  async get(layerName: string, version: number): Promise<LayerVersionRecord> {
    const name = layerNameOf(layerName, this.#deps.account);
    checkVersionNumber(version);
    const record = await this.#deps.layers.get(name, version);
    if (record === undefined) throw errors.notFound(LAYER_NOT_FOUND_MESSAGE);
    return record;
  }

  async getByArn(arn: string): Promise<LayerVersionRecord> {
    const parsed = parseLayerVersionArn(arn);
    if (parsed === undefined) throw errors.invalidParameter(`Invalid Layer Version Arn: ${arn}`);
    if (parsed.region !== this.#deps.account.region || parsed.accountId !== this.#deps.account.accountId) throw errors.notFound(LAYER_NOT_FOUND_MESSAGE);
    return this.get(parsed.layerName, parsed.version);
  }

  /** ListLayers: each layer with its newest version that matches the filters, by layer name. */
  async listLayers(query: ListLayersQuery): Promise<Page<LayerVersionRecord>> {
    checkListFilters(query.compatibleRuntime, query.compatibleArchitecture);
    const newest = new Map<string, LayerVersionRecord>();
    for (const r of await this.#deps.layers.list()) {
      if (!newest.has(r.layerName) && matches(r, query)) newest.set(r.layerName, r);
    }
    return pageOf([...newest.values()], query, { ...PAGE, keyOf: (r) => r.layerName });
  }

  /** ListLayerVersions: the versions that match the filters, newest first ([] for a layer with none). */
  async listVersions(layerName: string, query: ListLayersQuery): Promise<Page<LayerVersionRecord>> {
    const name = layerNameOf(layerName, this.#deps.account);
    checkListFilters(query.compatibleRuntime, query.compatibleArchitecture);
    const versions = (await this.#deps.layers.list(name)).filter((r) => matches(r, query));
    return pageOf(versions, query, { ...PAGE, keyOf: (r) => String(Number.MAX_SAFE_INTEGER - r.version).padStart(16, '0') });
  }

  /** DeleteLayerVersion: gone from every listing; its package is released once no function version uses it either. Absent: nothing to do. */
  async delete(layerName: string, version: number): Promise<void> {
    const name = layerNameOf(layerName, this.#deps.account);
    checkVersionNumber(version);
    const sha = await this.#deps.layers.delete(name, version);
    if (sha !== undefined) await this.#deps.packages.release([sha]);
  }

  /** The references a function version keeps to its layers, in order; checks Lambda's rules and the combined size. */
  async resolveFunctionLayers(arns: readonly string[], codeUnzippedBytes: number): Promise<LayerRef[]> {
    checkLayerCount(arns);
    checkDistinctLayers(arns);
    const refs: LayerRef[] = [];
    for (const arn of arns) {
      const parsed = parseLayerVersionArn(arn)!;
      const mine = parsed.region === this.#deps.account.region && parsed.accountId === this.#deps.account.accountId;
      const record = mine && parsed.version >= 1 ? await this.#deps.layers.get(parsed.layerName, parsed.version) : undefined;
      if (record === undefined) throw layerVersionNotFound(arn);
      refs.push({ arn, codeSize: record.codeSize, sha256Hex: record.codeSha256Hex, unzippedBytes: record.unzippedBytes });
    }
    this.checkCombinedSize(codeUnzippedBytes, refs);
    return refs;
  }

  /** The 250 MB quota on a function's code and its layers, unzipped. */
  checkCombinedSize(codeUnzippedBytes: number, layers: readonly LayerRef[]): void {
    if (layers.length === 0) return;
    checkCombinedSize(codeUnzippedBytes + layers.reduce((sum, l) => sum + l.unzippedBytes, 0), this.#deps.maxUnzippedBytes);
  }

  async addPermission(cmd: AddLayerPermissionCommand): Promise<{ statement: Record<string, unknown>; revisionId: string }> {
    checkPermission(cmd);
    const name = layerNameOf(cmd.layerName, this.#deps.account);
    checkVersionNumber(cmd.version);
    const statement: Record<string, unknown> = {
      Sid: cmd.statementId,
      Effect: 'Allow',
      Principal: cmd.principal === '*' ? '*' : { AWS: /^\d{12}$/.test(cmd.principal!) ? `arn:aws:iam::${cmd.principal}:root` : cmd.principal },
      Action: cmd.action,
      Resource: layerVersionArn(this.#deps.account, name, cmd.version),
      ...(cmd.organizationId !== undefined ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': cmd.organizationId } } } : {}),
    };
    const revisionId = this.#deps.newRevisionId();
    const found = await this.#deps.layers.updatePolicy(name, cmd.version, (current) => {
      if (cmd.revisionId !== undefined && cmd.revisionId !== current?.revisionId) throw revisionMismatch();
      if (current?.statements.some((s) => s['Sid'] === cmd.statementId)) {
        throw errors.conflict(`The statement id (${cmd.statementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
      }
      return { statements: [...(current?.statements ?? []), statement], revisionId };
    });
    if (!found) throw errors.notFound(LAYER_NOT_FOUND_MESSAGE);
    return { statement, revisionId };
  }

  async getPolicy(layerName: string, version: number): Promise<StoredLayerPolicy> {
    const record = await this.get(layerName, version);
    const policy = await this.#deps.layers.getPolicy(record.layerName, version);
    if (policy === undefined) throw errors.notFound('No policy is associated with the given resource.');
    return policy;
  }

  async removePermission(layerName: string, version: number, statementId: string, revisionId: string | undefined): Promise<void> {
    const name = layerNameOf(layerName, this.#deps.account);
    checkVersionNumber(version);
    const next = this.#deps.newRevisionId();
    const found = await this.#deps.layers.updatePolicy(name, version, (current) => {
      if (current === undefined) throw errors.notFound('No policy is associated with the given resource.');
      if (revisionId !== undefined && revisionId !== current.revisionId) throw revisionMismatch();
      if (!current.statements.some((s) => s['Sid'] === statementId)) throw errors.notFound(`Statement ${statementId} is not found in resource policy.`);
      return { statements: current.statements.filter((s) => s['Sid'] !== statementId), revisionId: next };
    });
    if (!found) throw errors.notFound(LAYER_NOT_FOUND_MESSAGE);
  }
}

function matches(r: LayerVersionRecord, q: ListLayersQuery): boolean {
  if (q.compatibleRuntime !== undefined && !r.compatibleRuntimes.includes(q.compatibleRuntime)) return false;
  if (q.compatibleArchitecture !== undefined && !r.compatibleArchitectures.includes(q.compatibleArchitecture)) return false;
  return true;
}

function checkPermission(cmd: AddLayerPermissionCommand): void {
  const v: Violation[] = [];
  const required = (member: string, value: string | undefined, pattern: string, max: number): void => {
    if (value === undefined) v.push({ value, member, constraint: constraint.notNull() });
    else if (value.length > max) v.push({ value, member, constraint: constraint.maxLength(max) });
    else if (!new RegExp(`^(?:${pattern})$`).test(value)) v.push({ value, member, constraint: constraint.pattern(pattern) });
  };
  required('statementId', cmd.statementId, STATEMENT_ID_PATTERN, 100);
  required('action', cmd.action, ACTION_PATTERN, 22);
  required('principal', cmd.principal, PRINCIPAL_PATTERN, 2048);
  if (cmd.organizationId !== undefined) required('organizationId', cmd.organizationId, ORGANIZATION_PATTERN, 34);
  assertNoViolations(v);
}
