/** Layer versions as Lambda renders them (PublishLayerVersion, GetLayerVersion, the list operations). */
import type { LayerVersionRecord } from '../model/index.ts';
import { lambdaTimestamp, type Account } from '../shared/index.ts';
import { codeSha256Base64 } from './function-view.ts';

export function layerArn(account: Account, layerName: string): string {
  return `arn:aws:lambda:${account.region}:${account.accountId}:layer:${layerName}`;
}

export function layerVersionArn(account: Account, layerName: string, version: number): string {
  return `${layerArn(account, layerName)}:${version}`;
}

/** The members every rendering of a version shares (ListLayerVersions' items, ListLayers' LatestMatchingVersion). */
export function renderLayerVersionItem(r: LayerVersionRecord, account: Account): Record<string, unknown> {
  return {
    LayerVersionArn: layerVersionArn(account, r.layerName, r.version),
    Version: r.version,
    Description: r.description,
    CreatedDate: lambdaTimestamp(r.createdMs),
    ...(r.compatibleRuntimes.length > 0 ? { CompatibleRuntimes: [...r.compatibleRuntimes] } : {}),
    ...(r.licenseInfo !== undefined ? { LicenseInfo: r.licenseInfo } : {}),
    ...(r.compatibleArchitectures.length > 0 ? { CompatibleArchitectures: [...r.compatibleArchitectures] } : {}),
  };
}

/** PublishLayerVersion / GetLayerVersion / GetLayerVersionByArn: the version with its Content (a signed download URL). */
export function renderLayerVersion(r: LayerVersionRecord, account: Account, location: string): Record<string, unknown> {
  const item = renderLayerVersionItem(r, account);
  return {
    Content: { Location: location, CodeSha256: codeSha256Base64(r.codeSha256Hex), CodeSize: r.codeSize },
    LayerArn: layerArn(account, r.layerName),
    ...item,
  };
}

/** ListLayers' item: the layer with its newest version that matches the filters. */
export function renderLayerListItem(latest: LayerVersionRecord, account: Account): Record<string, unknown> {
  return {
    LayerName: latest.layerName,
    LayerArn: layerArn(account, latest.layerName),
    LatestMatchingVersion: renderLayerVersionItem(latest, account),
  };
}
