/**
 * The rules of the function operations (create, read, update code and
 * configuration, delete). Routes hand it typed commands; it validates them,
 * applies RevisionId preconditions, stores packages before the rows that name
 * them, starts the State / LastUpdateStatus transitions, publishes a version
 * when asked (Publish=true), and tells listeners what changed.
 */
import { createHash } from 'node:crypto';
import { LATEST, type FunctionVersionConfig, type LayerRef } from '../model/index.ts';
import { errors, type Clock } from '../shared/index.ts';
import type { AliasRecord } from '../model/index.ts';
import type { CreateFunctionCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand } from './function-commands.ts';
import { applyCode, applySettings, newLatestConfig, type WriteStamp } from './function-config-builder.ts';
import type { DeploymentPackages } from './deployment-packages.ts';
import type { FunctionChanges } from './function-changes.ts';
import type { FunctionRecord } from '../model/index.ts';
import type { FunctionStore } from '../storage/index.ts';
import type { FunctionResolver, QualifiedName } from './function-resolver.ts';
import type { FunctionSettler } from './function-settler.ts';
import type { LayerService } from './layer-service.ts';
import { checkNameLength } from './function-validation.ts';
import { checkCodeUpdate, checkConfigurationUpdate, checkCreateFunction, zipFromSource } from './request-checks.ts';
import { checkRevision } from './revision.ts';
import type { VersionService } from './version-service.ts';

export { REVISION_MISMATCH_MESSAGE } from './revision.ts';

export interface FunctionServiceDeps {
  readonly functions: FunctionStore;
  readonly resolver: FunctionResolver;
  readonly packages: DeploymentPackages;
  readonly settler: FunctionSettler;
  readonly versions: VersionService;
  readonly layers: LayerService;
  readonly changes: FunctionChanges;
  readonly clock: Clock;
  readonly newRevisionId: () => string;
}

export interface FunctionView {
  readonly fn: FunctionRecord;
  readonly config: FunctionVersionConfig;
  /** The caller named a qualifier, so ARNs are rendered qualified. */
  readonly qualified: boolean;
  /** The alias the caller named (its ARN is the one rendered). */
  readonly alias: AliasRecord | undefined;
}

export class FunctionService {
  readonly #deps: FunctionServiceDeps;

  constructor(deps: FunctionServiceDeps) {
    this.#deps = deps;
  }

  /**
   * CreateFunction: checks, stores the package, then commits the function and its
   * `$LATEST` in one transaction. With Publish, answers version 1 (published from it).
   */
  async createFunction(cmd: CreateFunctionCommand): Promise<FunctionVersionConfig> {
    checkCreateFunction(cmd);
    const target = this.#deps.resolver.parse(cmd.functionName, 'write');
    if (target.qualifier !== undefined) throw errors.invalidParameter('Unsupported FunctionName: a function is created by name or unqualified ARN, without a version or alias.');
    checkNameLength(target.name);
    const zip = zipFromSource(cmd.code);
    if ((await this.#deps.functions.getFunction(target.name)) !== undefined) throw conflict(target.name);
    const manifest = await this.#deps.packages.inspect(zip);
    const layers = await this.#deps.layers.resolveFunctionLayers(cmd.layers ?? [], manifest.unzippedBytes);
    const config = await this.#deps.packages.storeAndCommit(zip, async (stored) => {
      const stamp = this.#stamp();
      const latest = newLatestConfig(target.name, cmd, { ...stored, unzippedBytes: manifest.unzippedBytes }, stamp, layers);
      const record: FunctionRecord = { name: target.name, createdMs: stamp.nowMs, tags: { ...(cmd.tags ?? {}) }, reservedConcurrency: undefined };
      if (!(await this.#deps.functions.insertFunction(record, latest))) throw conflict(target.name);
      await this.#deps.changes.touched(target.name);
      return latest;
    });
    this.#deps.settler.schedule(config.functionName, LATEST);
    return cmd.publish ? this.#deps.versions.publishLatest(config.functionName) : config;
  }

  /** GetFunction / GetFunctionConfiguration of `$LATEST`, a version, or an alias's version. */
  async getFunction(functionName: string, qualifier: string | undefined): Promise<FunctionView> {
    const target = this.#deps.resolver.parse(functionName, 'read', qualifier);
    const fn = await this.#deps.functions.getFunction(target.name);
    if (fn === undefined) throw this.#deps.resolver.notFound(target.name, target.qualifier);
    const { config, alias } = await this.#deps.resolver.lookup(target);
    return { fn, config, qualified: target.qualifier !== undefined, alias };
  }

  /** UpdateFunctionConfiguration of `$LATEST`; members absent from the command stay as they are. */
  async updateFunctionConfiguration(cmd: UpdateFunctionConfigurationCommand): Promise<FunctionVersionConfig> {
    const target = this.#latestTarget(cmd.functionName);
    checkConfigurationUpdate(cmd);
    let layers: LayerRef[] | undefined;
    if (cmd.layers !== undefined) {
      const current = await this.#deps.functions.getVersion(target.name, LATEST);
      if (current === undefined) throw this.#deps.resolver.notFound(target.name);
      layers = await this.#deps.layers.resolveFunctionLayers(cmd.layers, current.codeUnzippedBytes ?? 0);
    }
    let replacedLayers: readonly string[] = [];
    const updated = await this.#deps.functions.updateVersion(target.name, LATEST, (current) => {
      checkRevision(current, cmd.revisionId);
      this.#deps.resolver.assertNotUpdating(current, target.name);
      if (layers !== undefined) replacedLayers = current.layers.map((l) => l.sha256Hex);
      return applySettings(current, cmd, this.#stamp(), layers);
    });
    if (updated === undefined) throw this.#deps.resolver.notFound(target.name);
    await this.#latestChanged(target.name);
    // A deleted layer version's package goes once no version uses it any longer.
    if (replacedLayers.length > 0) await this.#deps.packages.release(replacedLayers);
    return updated;
  }

  /**
   * UpdateFunctionCode of `$LATEST`. DryRun checks everything and answers the
   * would-be configuration without writing. With Publish, answers the version
   * published from the new `$LATEST`.
   */
  async updateFunctionCode(cmd: UpdateFunctionCodeCommand): Promise<FunctionVersionConfig> {
    const target = this.#latestTarget(cmd.functionName);
    checkCodeUpdate(cmd);
    const zip = zipFromSource(cmd.code);
    const current = await this.#deps.functions.getVersion(target.name, LATEST);
    if (current === undefined) throw this.#deps.resolver.notFound(target.name);
    checkRevision(current, cmd.revisionId);
    this.#deps.resolver.assertNotUpdating(current, target.name);
    const manifest = await this.#deps.packages.inspect(zip);
    this.#deps.layers.checkCombinedSize(manifest.unzippedBytes, current.layers);
    if (cmd.dryRun) return { ...applyCode(current, digestOf(zip), cmd.architectures, this.#stamp()), revisionId: current.revisionId };
    let replaced: string | undefined;
    await this.#deps.packages.storeAndCommit(zip, async (stored) => {
      const result = await this.#deps.functions.updateVersion(target.name, LATEST, (latest) => {
        checkRevision(latest, cmd.revisionId);
        this.#deps.resolver.assertNotUpdating(latest, target.name);
        replaced = latest.codeSha256Hex;
        return applyCode(latest, { ...stored, unzippedBytes: manifest.unzippedBytes }, cmd.architectures, this.#stamp());
      });
      if (result === undefined) throw this.#deps.resolver.notFound(target.name);
      await this.#latestChanged(target.name);
      return result;
    });
    const published = cmd.publish ? await this.#deps.versions.publishLatest(target.name) : undefined;
    if (replaced !== undefined) await this.#deps.packages.release([replaced]);
    return published ?? (await this.#deps.functions.getVersion(target.name, LATEST))!;
  }

  /**
   * DeleteFunction: the function with all its versions and aliases, or (with a
   * version qualifier) that version only. Packages nothing else uses are released.
   */
  async deleteFunction(functionName: string, qualifier: string | undefined): Promise<void> {
    const target = this.#deps.resolver.parse(functionName, 'write', qualifier);
    if (target.qualifier === LATEST) throw errors.invalidParameter('$LATEST version cannot be deleted without deleting the function.');
    if (target.qualifier !== undefined) return this.#deps.versions.deleteVersion(target.name, target.qualifier);
    const shas = await this.#deps.functions.deleteFunction(target.name);
    if (shas === undefined) throw this.#deps.resolver.notFound(target.name);
    await this.#deps.changes.changed({ functionName: target.name, kind: 'function-deleted', version: undefined });
    await this.#deps.packages.release(shas);
  }

  /** Writes apply to `$LATEST`: an unqualified name, or one qualified with `$LATEST`. */
  #latestTarget(functionName: string): QualifiedName {
    const target = this.#deps.resolver.parse(functionName, 'write');
    if (target.qualifier !== undefined && target.qualifier !== LATEST) {
      throw errors.invalidParameter(
        'Current operation does not support versions other than $LATEST. Please set the version to $LATEST or do not set a version in your request.',
      );
    }
    return { name: target.name, qualifier: undefined };
  }

  #latestChanged(name: string): Promise<void> {
    this.#deps.settler.schedule(name, LATEST);
    return this.#deps.changes.changed({ functionName: name, kind: 'latest-updated', version: LATEST });
  }

  #stamp(): WriteStamp {
    return { nowMs: this.#deps.clock.now(), revisionId: this.#deps.newRevisionId() };
  }
}

function conflict(name: string) {
  return errors.conflict(`Function already exist: ${name}`);
}

function digestOf(zip: Buffer): { sha256Hex: string; size: number } {
  return { sha256Hex: createHash('sha256').update(zip).digest('hex'), size: zip.length };
}
