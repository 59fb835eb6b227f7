/**
 * Which IAM action a request of Flint's APIs is, and on which function: Lambda's routes by
 * method and route pattern (lambda:InvokeFunction, lambda:GetFunction, ...), the JSON-1.1 APIs on
 * `POST /` by `X-Amz-Target` (`Logs_20140328.X` -> logs:X, `AmazonSQS.X` -> sqs:X) or SQS's query
 * form (`Action=X`), Flint's own operator routes (`/flint/...`) as `flint:...`. The service is the one
 * the signature's credential scope must name.
 */
import { queryPairs } from './signed-request.ts';

export interface Operation {
  /** The service of the credential scope: `lambda`, `logs`, `sqs`. */
  readonly service: string;
  /** `lambda:GetFunction`, `logs:GetLogEvents`, ... */
  readonly action: string;
  /** The function label the request names (name, partial or full ARN), for function-scoped actions. */
  readonly functionLabel?: string | undefined;
  readonly qualifier?: string | undefined;
}

const F = '/2015-03-31/functions';
/** The route src/queues registers for a queue's URL. */
const QUEUE_URL_ROUTE = '/:account/:queue';
const LAMBDA_ROUTES: Readonly<Record<string, string>> = {
  [`POST ${F}`]: 'CreateFunction',
  [`GET ${F}`]: 'ListFunctions',
  [`GET ${F}/:FunctionName`]: 'GetFunction',
  [`DELETE ${F}/:FunctionName`]: 'DeleteFunction',
  [`PUT ${F}/:FunctionName/code`]: 'UpdateFunctionCode',
  [`GET ${F}/:FunctionName/configuration`]: 'GetFunctionConfiguration',
  [`PUT ${F}/:FunctionName/configuration`]: 'UpdateFunctionConfiguration',
  [`POST ${F}/:FunctionName/versions`]: 'PublishVersion',
  [`GET ${F}/:FunctionName/versions`]: 'ListVersionsByFunction',
  [`POST ${F}/:FunctionName/aliases`]: 'CreateAlias',
  [`GET ${F}/:FunctionName/aliases`]: 'ListAliases',
  [`GET ${F}/:FunctionName/aliases/:Name`]: 'GetAlias',
  [`PUT ${F}/:FunctionName/aliases/:Name`]: 'UpdateAlias',
  [`DELETE ${F}/:FunctionName/aliases/:Name`]: 'DeleteAlias',
  [`POST ${F}/:FunctionName/policy`]: 'AddPermission',
  [`GET ${F}/:FunctionName/policy`]: 'GetPolicy',
  [`DELETE ${F}/:FunctionName/policy/:StatementId`]: 'RemovePermission',
  [`POST ${F}/:name/invocations`]: 'InvokeFunction',
  'POST /2021-11-15/functions/:name/response-streaming-invocations': 'InvokeFunction',
  'POST /2014-11-13/functions/:name/invoke-async': 'InvokeAsync',
  'GET /2017-03-31/tags/:ARN': 'ListTags',
  'POST /2017-03-31/tags/:ARN': 'TagResource',
  'DELETE /2017-03-31/tags/:ARN': 'UntagResource',
  'PUT /2019-09-30/functions/:FunctionName/provisioned-concurrency': 'PutProvisionedConcurrencyConfig',
  'GET /2019-09-30/functions/:FunctionName/provisioned-concurrency': 'GetProvisionedConcurrencyConfig',
  'DELETE /2019-09-30/functions/:FunctionName/provisioned-concurrency': 'DeleteProvisionedConcurrencyConfig',
  'PUT /2017-10-31/functions/:FunctionName/concurrency': 'PutFunctionConcurrency',
  'GET /2019-09-30/functions/:FunctionName/concurrency': 'GetFunctionConcurrency',
  'DELETE /2017-10-31/functions/:FunctionName/concurrency': 'DeleteFunctionConcurrency',
  'GET /2016-08-19/account-settings': 'GetAccountSettings',
  'POST /2021-10-31/functions/:name/url': 'CreateFunctionUrlConfig',
  'GET /2021-10-31/functions/:name/url': 'GetFunctionUrlConfig',
  'PUT /2021-10-31/functions/:name/url': 'UpdateFunctionUrlConfig',
  'DELETE /2021-10-31/functions/:name/url': 'DeleteFunctionUrlConfig',
  'GET /2021-10-31/functions/:name/urls': 'ListFunctionUrlConfigs',
  'PUT /2019-09-25/functions/:name/event-invoke-config': 'PutFunctionEventInvokeConfig',
  'POST /2019-09-25/functions/:name/event-invoke-config': 'UpdateFunctionEventInvokeConfig',
  'GET /2019-09-25/functions/:name/event-invoke-config': 'GetFunctionEventInvokeConfig',
  'DELETE /2019-09-25/functions/:name/event-invoke-config': 'DeleteFunctionEventInvokeConfig',
  'GET /2019-09-25/functions/:name/event-invoke-config/list': 'ListFunctionEventInvokeConfigs',
};

export interface RoutedRequest {
  readonly method: string;
  /** The route pattern that matched (`/2015-03-31/functions/:FunctionName`). */
  readonly route: string;
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array | undefined;
}

/** The operation a request is. Unknown Lambda-style routes count as `lambda:<METHOD><route>` (never granted across accounts). */
export function operationOf(req: RoutedRequest): Operation {
  const query = queryPairs(req.query);
  const qualifier = query.find(([n]) => n === 'Qualifier')?.[1];
  if (req.route === '/' && req.method === 'POST') return jsonTargetOperation(req);
  // SQS's query protocol posted to a queue's URL (`/ACCOUNT/NAME`), as the AWS CLI and older SDKs do
  // (an account id is 12 digits; a Lambda path such as `/2017-03-31/tags/` that the route also matches stays Lambda's)
  if (req.route === QUEUE_URL_ROUTE && req.method === 'POST' && /^\d{12}$/.test(req.params['account'] ?? '')) return { ...queryFormOperation(req), service: 'sqs' };
  if (req.route.startsWith('/flint/')) return { service: 'lambda', action: `flint:${req.method} ${req.route}` };
  const name = LAMBDA_ROUTES[`${req.method} ${req.route}`];
  const functionLabel = req.params['FunctionName'] ?? req.params['name'] ?? functionOfTagArn(req.params['ARN']);
  return { service: 'lambda', action: `lambda:${name ?? `${req.method}${req.route}`}`, functionLabel, qualifier };
}

function jsonTargetOperation(req: RoutedRequest): Operation {
  const raw = req.headers['x-amz-target'];
  const target = Array.isArray(raw) ? raw[0] : raw;
  if (target !== undefined) {
    const dot = target.indexOf('.');
    const prefix = target.slice(0, dot);
    const name = target.slice(dot + 1);
    if (prefix.startsWith('Logs_')) return { service: 'logs', action: `logs:${name}` };
    if (prefix === 'AmazonSQS') return { service: 'sqs', action: `sqs:${name}` };
    return { service: 'lambda', action: `unknown:${target}` };
  }
  return queryFormOperation(req);
}

/** SQS's query protocol: a form body (or query) carrying Action=. */
function queryFormOperation(req: RoutedRequest): Operation {
  const form = req.body === undefined ? [] : queryPairs(Buffer.from(req.body).toString('utf8').replace(/\+/g, '%20'));
  const action = form.find(([n]) => n === 'Action')?.[1] ?? queryPairs(req.query).find(([n]) => n === 'Action')?.[1];
  if (action !== undefined) return { service: 'sqs', action: `sqs:${action}` };
  return { service: 'lambda', action: `unknown:POST ${req.route}` };
}

function functionOfTagArn(arn: string | undefined): string | undefined {
  return arn !== undefined && /^arn:[^:]*:lambda:/.test(arn) ? arn : undefined;
}
