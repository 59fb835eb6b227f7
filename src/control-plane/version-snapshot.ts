/**
 * Published versions as pure values: the immutable snapshot PublishVersion takes
 * of `$LATEST`, and the digest that tells whether `$LATEST` changed since the
 * last publish (Lambda publishes nothing new when neither code nor configuration
 * changed, and answers with the latest published version instead).
 */
import { createHash } from 'node:crypto';
import type { FunctionVersionConfig } from '../model/index.ts';
import type { WriteStamp } from './function-config-builder.ts';
import { STATUS_OF, lifecycleOf } from './function-state.ts';

/**
 * A digest of what a version is made of: code and every configuration member.
 * Identity and bookkeeping (version, RevisionId, LastModified, State) are left
 * out, so two configurations with the same digest run the same way.
 */
export function contentDigest(c: FunctionVersionConfig): string {
  const content = [
    c.codeSha256Hex, c.runtime ?? null, c.handler ?? null, c.role, c.description, c.timeoutSec, c.memorySizeMb,
    c.ephemeralStorageMb, sortedEntries(c.environment), c.architectures, c.layers, c.packageType,
    sortedEntries(c.loggingConfig), c.tracingMode,
    ...(c.kmsKeyArn !== undefined ? [c.kmsKeyArn] : []), // only when set: digests of versions stored before it stay equal
    ...(c.deadLetterTargetArn !== undefined ? [{ deadLetterTargetArn: c.deadLetterTargetArn }] : []), // likewise
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

function sortedEntries(o: object): Array<[string, unknown]> {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Version `number` as a copy of `$LATEST`. Its Description is the one given to
 * PublishVersion, else `$LATEST`'s. It is ready at once when `$LATEST` is;
 * otherwise it starts Pending and settles like any new version.
 */
export function snapshotVersion(latest: FunctionVersionConfig, number: number, description: string | undefined, stamp: WriteStamp): FunctionVersionConfig {
  return {
    ...latest,
    version: String(number),
    description: description ?? latest.description,
    revisionId: stamp.revisionId,
    ...(lifecycleOf(latest) === 'ready' ? STATUS_OF.ready : STATUS_OF.creating),
  };
}
