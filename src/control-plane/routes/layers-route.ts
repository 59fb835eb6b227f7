/**
 * The layer resources (`/2018-10-31/layers`): PublishLayerVersion (POST, 201), GetLayerVersion,
 * GetLayerVersionByArn (`?find=LayerVersion&Arn=`), ListLayers, ListLayerVersions, DeleteLayerVersion
 * (204), and the layer version policy: AddLayerVersionPermission (201), GetLayerVersionPolicy,
 * RemoveLayerVersionPermission (204).
 */
import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from '../../api/index.ts';
import { errors } from '../../shared/index.ts';
import { checkLayerVersionArn } from '../layer-validation.ts';
import { renderLayerListItem, renderLayerVersion, renderLayerVersionItem } from '../layer-view.ts';
import type { LayerVersionRecord } from '../../model/index.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';
import { checkUploadRequestSize, decodeZipFile, parseBody, pathLabel, queryInteger, queryValue } from './wire.ts';

export const LAYERS_PATH = '/2018-10-31/layers';

const PublishBody = z.object({
  Description: z.string().optional(),
  Content: z.object({
    S3Bucket: z.string().optional(),
    S3Key: z.string().optional(),
    S3ObjectVersion: z.string().optional(),
    ZipFile: z.string().optional(),
  }).optional(),
  CompatibleRuntimes: z.array(z.string()).optional(),
  LicenseInfo: z.string().optional(),
  CompatibleArchitectures: z.array(z.string()).optional(),
});

const PermissionBody = z.object({
  StatementId: z.string().optional(),
  Action: z.string().optional(),
  Principal: z.string().optional(),
  OrganizationId: z.string().optional(),
});

function versionNumber(req: FastifyRequest): number {
  const v = pathLabel(req, 'VersionNumber');
  if (!/^-?\d+$/.test(v)) throw errors.invalidContent(`Could not parse request: path member 'VersionNumber' must be an integer`);
  return Number(v);
}

function listQuery(req: FastifyRequest) {
  return {
    compatibleRuntime: queryValue(req, 'CompatibleRuntime'),
    compatibleArchitecture: queryValue(req, 'CompatibleArchitecture'),
    marker: queryValue(req, 'Marker'),
    maxItems: queryInteger(req, 'MaxItems'),
  };
}

export function registerLayersRoute(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  const { account } = deps;
  const versions = `${LAYERS_PATH}/:LayerName/versions`;
  const version = `${versions}/:VersionNumber`;
  const full = (req: FastifyRequest, r: LayerVersionRecord) => renderLayerVersion(r, account, deps.signer.url(`${req.protocol}://${req.host}`, r.codeSha256Hex));

  app.post(versions, async (req, reply) => {
    checkUploadRequestSize(req, 'PublishLayerVersion');
    const b = parseBody(req, PublishBody);
    const content = b.Content;
    if (content === undefined) throw errors.validation("1 validation error detected: Value null at 'content' failed to satisfy constraint: Member must not be null");
    if (content.S3Bucket !== undefined || content.S3Key !== undefined) {
      throw errors.invalidParameter('Content.S3Bucket / Content.S3Key (layers in Amazon S3) is not supported by Flint yet. Upload the layer inline as Content.ZipFile (up to 50 MB).');
    }
    const zip = decodeZipFile(content.ZipFile, 'PublishLayerVersion');
    if (zip === undefined) throw errors.invalidParameter('Please provide a source for layer content.');
    const record = await deps.layers.publish({
      layerName: pathLabel(req, 'LayerName'),
      zip,
      description: b.Description,
      licenseInfo: b.LicenseInfo,
      compatibleRuntimes: b.CompatibleRuntimes,
      compatibleArchitectures: b.CompatibleArchitectures,
    });
    req.log.info({ layerName: record.layerName, version: record.version, codeSha256Hex: record.codeSha256Hex }, 'layer version published');
    return reply.code(201).send(full(req, record));
  });

  app.get(LAYERS_PATH, async (req) => {
    if (queryValue(req, 'find') === 'LayerVersion') {
      const arn = checkLayerVersionArn(queryValue(req, 'Arn'));
      return full(req, await deps.layers.getByArn(`arn:aws:lambda:${arn.region}:${arn.accountId}:layer:${arn.layerName}:${arn.version}`));
    }
    const page = await deps.layers.listLayers(listQuery(req));
    return { ...(page.nextMarker !== undefined ? { NextMarker: page.nextMarker } : {}), Layers: page.items.map((r) => renderLayerListItem(r, account)) };
  });

  app.get(versions, async (req) => {
    const page = await deps.layers.listVersions(pathLabel(req, 'LayerName'), listQuery(req));
    return { ...(page.nextMarker !== undefined ? { NextMarker: page.nextMarker } : {}), LayerVersions: page.items.map((r) => renderLayerVersionItem(r, account)) };
  });

  app.get(version, async (req) => full(req, await deps.layers.get(pathLabel(req, 'LayerName'), versionNumber(req))));

  app.delete(version, async (req, reply) => {
    const layerName = pathLabel(req, 'LayerName');
    const n = versionNumber(req);
    await deps.layers.delete(layerName, n);
    req.log.info({ layerName, version: n }, 'layer version deleted');
    return reply.code(204).send();
  });

  app.post(`${version}/policy`, async (req, reply) => {
    const b = parseBody(req, PermissionBody);
    const out = await deps.layers.addPermission({
      layerName: pathLabel(req, 'LayerName'),
      version: versionNumber(req),
      statementId: b.StatementId,
      action: b.Action,
      principal: b.Principal,
      organizationId: b.OrganizationId,
      revisionId: queryValue(req, 'RevisionId'),
    });
    return reply.code(201).send({ Statement: JSON.stringify(out.statement), RevisionId: out.revisionId });
  });

  app.get(`${version}/policy`, async (req) => {
    const policy = await deps.layers.getPolicy(pathLabel(req, 'LayerName'), versionNumber(req));
    return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements }), RevisionId: policy.revisionId };
  });

  app.delete(`${version}/policy/:StatementId`, async (req, reply) => {
    await deps.layers.removePermission(pathLabel(req, 'LayerName'), versionNumber(req), pathLabel(req, 'StatementId'), queryValue(req, 'RevisionId'));
    return reply.code(204).send();
  });
}
