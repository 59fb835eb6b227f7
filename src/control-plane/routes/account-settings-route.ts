/** GetAccountSettings (GET). */
import type { FastifyInstance } from '../../api/index.ts';
import type { ControlPlaneRouteDeps } from './route-deps.ts';

export function registerAccountSettingsRoute(app: FastifyInstance, deps: ControlPlaneRouteDeps): void {
  app.get('/2016-08-19/account-settings', async () => {
    const { limit, usage } = await deps.accountSettings();
    return {
      AccountLimit: {
        TotalCodeSize: limit.totalCodeSize,
        CodeSizeUnzipped: limit.codeSizeUnzipped,
        CodeSizeZipped: limit.codeSizeZipped,
        ConcurrentExecutions: limit.concurrentExecutions,
        UnreservedConcurrentExecutions: limit.unreservedConcurrentExecutions,
      },
      AccountUsage: { TotalCodeSize: usage.totalCodeSize, FunctionCount: usage.functionCount },
    };
  });
}
