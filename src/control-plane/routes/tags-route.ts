/** The tags resource on a function ARN: TagResource (POST, 204), ListTags (GET), UntagResource (DELETE, 204). */
import { z } from 'zod';
import type { FastifyInstance } from '../../api/index.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';
import { parseBody, pathLabel, queryList, stringMap } from './wire.ts';

const TagResourceBody = z.object({ Tags: stringMap.optional() });

export function registerTagsRoute(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  const path = '/2017-03-31/tags/:ARN';

  app.get(path, async (req) => ({ Tags: await deps.tags.list(pathLabel(req, 'ARN')) }));

  app.post(path, async (req, reply) => {
    const b = parseBody(req, TagResourceBody);
    await deps.tags.tag(pathLabel(req, 'ARN'), b.Tags ?? {});
    return reply.code(204).send();
  });

  app.delete(path, async (req, reply) => {
    await deps.tags.untag(pathLabel(req, 'ARN'), queryList(req, 'tagKeys'));
    return reply.code(204).send();
  });
}
