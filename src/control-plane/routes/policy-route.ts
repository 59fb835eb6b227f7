/**
 * The policy sub-resource: AddPermission (POST, 201, `{"Statement": "<json>"}`), GetPolicy (GET,
 * `{"Policy": "<json>", "RevisionId"}`) and RemovePermission (DELETE on a statement, 204).
 */
import { z } from 'zod';
import type { FastifyInstance } from '../../api/index.ts';
import { FUNCTIONS_PATH } from './functions-route.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';
import { parseBody, pathLabel, queryValue } from './wire.ts';

const AddPermissionBody = z.object({
  StatementId: z.string().optional(),
  Action: z.string().optional(),
  Principal: z.string().optional(),
  SourceArn: z.string().optional(),
  SourceAccount: z.string().optional(),
  EventSourceToken: z.string().optional(),
  RevisionId: z.string().optional(),
  PrincipalOrgID: z.string().optional(),
  FunctionUrlAuthType: z.string().optional(),
  InvokedViaFunctionUrl: z.boolean().optional(),
});

export function registerPolicyRoute(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  const policy = `${FUNCTIONS_PATH}/:FunctionName/policy`;

  app.post(policy, async (req, reply) => {
    const b = parseBody(req, AddPermissionBody);
    const functionName = pathLabel(req, 'FunctionName');
    const statement = await deps.policies.add({
      functionName,
      qualifier: queryValue(req, 'Qualifier'),
      statementId: b.StatementId,
      action: b.Action,
      principal: b.Principal,
      sourceArn: b.SourceArn,
      sourceAccount: b.SourceAccount,
      eventSourceToken: b.EventSourceToken,
      principalOrgId: b.PrincipalOrgID,
      functionUrlAuthType: b.FunctionUrlAuthType,
      invokedViaFunctionUrl: b.InvokedViaFunctionUrl,
      revisionId: b.RevisionId,
    });
    req.log.info({ functionName, statementId: statement.Sid, action: statement.Action }, 'permission added');
    return reply.code(201).send({ Statement: JSON.stringify(statement) });
  });

  app.get(policy, async (req) => {
    const view = await deps.policies.get(pathLabel(req, 'FunctionName'), queryValue(req, 'Qualifier'));
    return { Policy: JSON.stringify(view.policy), RevisionId: view.revisionId };
  });

  app.delete(`${policy}/:StatementId`, async (req, reply) => {
    const functionName = pathLabel(req, 'FunctionName');
    const statementId = pathLabel(req, 'StatementId');
    await deps.policies.remove({ functionName, statementId, qualifier: queryValue(req, 'Qualifier'), revisionId: queryValue(req, 'RevisionId') });
    req.log.info({ functionName, statementId }, 'permission removed');
    return reply.code(204).send();
  });
}
