/**
 * The rules of published versions: PublishVersion (with its CodeSha256 and
 * RevisionId preconditions, and no new version when `$LATEST` has not changed
 * since the last publish), Publish=true on CreateFunction / UpdateFunctionCode,
 * ListVersionsByFunction, and DeleteFunction with a version qualifier.
 */
import { LATEST, type FunctionVersionConfig } from '../model/index.ts';
import { errors, type Clock } from '../shared/index.ts';
import type { DeploymentPackages } from './deployment-packages.ts';
import type { PublishVersionCommand } from './function-commands.ts';
import type { FunctionChanges } from './function-changes.ts';
import type { AliasStore, Storage } from '../storage/index.ts';
import type { FunctionResolver } from './function-resolver.ts';
import type { FunctionSettler } from './function-settler.ts';
import { codeSha256Base64 } from './function-view.ts';
import { pageOf, type Page, type PageRequest } from './paging.ts';
import { qualifierKind, versionSortKey } from './qualifiers.ts';
import { checkRevision } from './revision.ts';
import { assertNoViolations, constraint } from '../shared/index.ts';
import { contentDigest, snapshotVersion } from './version-snapshot.ts';

export interface VersionServiceDeps {
  readonly storage: Storage;
  readonly resolver: FunctionResolver;
  readonly packages: DeploymentPackages;
  readonly settler: FunctionSettler;
  readonly changes: FunctionChanges;
  readonly clock: Clock;
  readonly newRevisionId: () => string;
}

interface Preconditions {
  readonly codeSha256?: string | undefined;
  readonly revisionId?: string | undefined;
  /** PublishVersion (not Publish=true on a write, which publishes its own update) refuses while `$LATEST` is InProgress. */
  readonly refuseWhileUpdating?: boolean;
}

export class VersionService {
  readonly #deps: VersionServiceDeps;

  constructor(deps: VersionServiceDeps) {
    this.#deps = deps;
  }

  /** PublishVersion. Answers the existing latest version when `$LATEST` is unchanged since it was published. */
  publishVersion(cmd: PublishVersionCommand): Promise<FunctionVersionConfig> {
    if (cmd.description !== undefined && cmd.description.length > 256) {
      assertNoViolations([{ value: cmd.description, member: 'description', constraint: constraint.maxLength(256) }]);
    }
    const name = this.#deps.resolver.unqualified(cmd.functionName);
    return this.publishLatest(name, cmd.description, { ...cmd, refuseWhileUpdating: true });
  }

  /** Publishes `$LATEST` of an existing function (also behind Publish=true). */
  async publishLatest(name: string, description?: string, pre: Preconditions = {}): Promise<FunctionVersionConfig> {
    let created = false;
    const version = await this.#deps.storage.transaction(async ({ functions }) => {
      const latest = await functions.getVersion(name, LATEST);
      if (latest === undefined) throw this.#deps.resolver.notFound(name);
      checkPreconditions(latest, pre);
      if (pre.refuseWhileUpdating === true) this.#deps.resolver.assertNotUpdating(latest, name);
      const digest = contentDigest(latest);
      const last = await functions.lastPublished(name);
      if (last !== undefined && last.sourceDigest === digest) return (await functions.getVersion(name, last.version))!;
      const number = (await functions.takeVersionNumber(name))!;
      const snapshot = snapshotVersion(latest, number, description, { nowMs: this.#deps.clock.now(), revisionId: this.#deps.newRevisionId() });
      await functions.insertVersion(snapshot, digest);
      await functions.updateVersion(name, LATEST, (l) => ({ ...l, revisionId: this.#deps.newRevisionId() }));
      created = true;
      return snapshot;
    });
    if (created) {
      await this.#deps.changes.touched(name);
      if (version.state === 'Pending') this.#deps.settler.schedule(name, version.version);
    }
    return version;
  }

  /** ListVersionsByFunction: `$LATEST` first, then by number. */
  async listVersions(functionName: string, page: PageRequest): Promise<Page<FunctionVersionConfig>> {
    const name = this.#deps.resolver.unqualified(functionName, 'read');
    if ((await this.#deps.storage.functions.getFunction(name)) === undefined) throw this.#deps.resolver.notFound(name);
    const versions = await this.#deps.storage.functions.listVersions(name);
    return pageOf(versions, page, { keyOf: (c) => versionSortKey(c.version), cap: 50, maxItemsLimit: 10000 });
  }

  /**
   * DeleteFunction with a qualifier: deletes that published version (and its
   * provisioned concurrency config). A version an alias routes to is refused; a
   * qualifier that names no published version deletes nothing, as on Lambda.
   */
  async deleteVersion(name: string, qualifier: string): Promise<void> {
    if ((await this.#deps.storage.functions.getFunction(name)) === undefined) throw this.#deps.resolver.notFound(name);
    if (qualifierKind(qualifier) !== 'version') return;
    const sha = await this.#deps.storage.transaction(async (tx) => {
      const users = await aliasesReferencing(tx.aliases, name, qualifier);
      if (users.length > 0) throw errors.conflict(`Unable to delete version because the following aliases reference it: [${users.join(', ')}]`);
      const layers = (await tx.functions.getVersion(name, qualifier))?.layers ?? [];
      const code = await tx.functions.deleteVersion(name, qualifier);
      return code === undefined ? undefined : [code, ...layers.map((l) => l.sha256Hex)];
    });
    if (sha === undefined) return;
    await this.#deps.changes.changed({ functionName: name, kind: 'version-deleted', version: qualifier });
    await this.#deps.packages.release(sha);
  }
}

/** RevisionId first, then CodeSha256 (compared in the base64 form the API shows). */
function checkPreconditions(latest: FunctionVersionConfig, pre: Preconditions): void {
  checkRevision(latest, pre.revisionId);
  const current = codeSha256Base64(latest.codeSha256Hex);
  if (pre.codeSha256 !== undefined && pre.codeSha256 !== '' && pre.codeSha256 !== current) {
    throw errors.invalidParameter(
      `CodeSHA256 (${pre.codeSha256}) is different from current CodeSHA256 in $LATEST (${current}). Please try again with the CodeSHA256 in $LATEST.`,
    );
  }
}

/** Names of the function's aliases that route to `version` (as primary or additional version). */
export async function aliasesReferencing(aliases: AliasStore, functionName: string, version: string): Promise<string[]> {
  return (await aliases.list(functionName)).filter((a) => a.functionVersion === version || a.additional?.version === version).map((a) => a.name);
}
