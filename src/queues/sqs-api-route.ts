/**
 * SQS on Flint's endpoint: the JSON protocol (`POST /`, `X-Amz-Target: AmazonSQS.<Operation>`,
 * awsJson1_0 with query-compatible errors) and the query protocol (a form with `Action=`, posted
 * to `/` or to the queue's URL `/ACCOUNT/NAME`, answered in XML).
 */
import { addQueryActionHandler, addTargetHandler, isQueryForm, type FastifyInstance, type FastifyReply, type FastifyRequest } from '../api/index.ts';
import { ApiError } from '../shared/index.ts';
import { queryErrorResponse, queryInput, queryResponse } from './query-protocol.ts';
import type { QueueService } from './queue-service.ts';
import { SqsError, sqsErrorOf } from './sqs-error.ts';
import { OPERATIONS, type Input, type OperationContext, type Output } from './sqs-operations.ts';

const TARGET_PREFIX = 'AmazonSQS.';
const JSON_TYPE = 'application/x-amz-json-1.0';

export function registerSqsApi(app: FastifyInstance, service: QueueService): void {
  addTargetHandler(app, TARGET_PREFIX, async (req, reply) => {
    const name = (req.headers['x-amz-target'] as string).slice(TARGET_PREFIX.length);
    try {
      const output = await run(service, name, () => jsonInput(req.body), req, reply, () => new SqsError('UnknownOperationException', `Unknown operation ${name}`));
      void reply.code(200).type(JSON_TYPE).send(JSON.stringify(output));
    } catch (err) {
      if (!(err instanceof SqsError)) throw err;
      sendJsonError(err, name, req, reply);
    }
  }, jsonRequestError);
  addQueryActionHandler(app, (req, reply) => answerQuery(service, req, reply, undefined), queryRequestError);
  // the route also matches Lambda paths (`/2017-03-31/tags/`): only a queue URL of Flint's account answers in SQS's shape
  const queueUrlError = (err: Error & { statusCode?: number; code?: string }, req: FastifyRequest, reply: FastifyReply): void => {
    if ((req.params as { account?: string }).account !== service.account.accountId) throw err;
    queryRequestError(err, req, reply);
  };
  app.post('/:account/:queue', { errorHandler: queueUrlError }, async (req, reply) => {
    const { account, queue } = req.params as { account: string; queue: string };
    if (account !== service.account.accountId || !isQueryForm(req)) throw new ApiError('UnknownOperationException', `Unknown operation ${req.method} ${req.url.split('?')[0]}`);
    await answerQuery(service, req, reply, `http://${req.headers.host ?? 'localhost'}/${account}/${queue}`);
  });
}

async function answerQuery(service: QueueService, req: FastifyRequest, reply: FastifyReply, pathQueueUrl: string | undefined): Promise<void> {
  const form = new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
  const action = form.get('Action') ?? '';
  try {
    const input = () => {
      const parsed = queryInput(form);
      return pathQueueUrl !== undefined && parsed.QueueUrl === undefined ? { ...parsed, QueueUrl: pathQueueUrl } : parsed;
    };
    const output = await run(service, action, input, req, reply, () => new SqsError('InvalidAction', `The action ${action} is not valid for this endpoint.`));
    void reply.code(200).type('text/xml').send(queryResponse(action, output, req.id));
  } catch (err) {
    if (!(err instanceof SqsError)) throw err;
    sendQueryError(err, action, req, reply);
  }
}

function sendJsonError(err: SqsError, operation: string, req: FastifyRequest, reply: FastifyReply): void {
  req.log.info({ code: err.code, operation }, err.message);
  void reply.code(err.status).header('x-amzn-query-error', `${err.queryCode};Sender`).type(JSON_TYPE)
    .send(JSON.stringify({ __type: err.jsonType, message: err.message }));
}

function sendQueryError(err: SqsError, operation: string, req: FastifyRequest, reply: FastifyReply): void {
  req.log.info({ code: err.code, operation }, err.message);
  void reply.code(err.status).type('text/xml').send(queryErrorResponse(err, req.id));
}

/**
 * A JSON-protocol request refused before its operation ran (by the SigV4 hook, or by Fastify: a
 * Content-Type it cannot read, a body over the limit): SQS's answer in SQS's shape; anything else
 * goes on to the API's error handler.
 */
function jsonRequestError(err: Error & { statusCode?: number; code?: string }, req: FastifyRequest, reply: FastifyReply): void {
  const sqsError = sqsErrorOf(err);
  if (sqsError === undefined) throw err;
  sendJsonError(sqsError, String(req.headers['x-amz-target']).slice(TARGET_PREFIX.length), req, reply);
}

/** The same for a query-protocol form (posted to `/` or to a queue's URL): SQS's XML `<ErrorResponse>`. */
function queryRequestError(err: Error & { statusCode?: number; code?: string }, req: FastifyRequest, reply: FastifyReply): void {
  const sqsError = sqsErrorOf(err);
  if (sqsError === undefined || (err instanceof ApiError && err.code === 'UnknownOperationException')) throw err;
  const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  sendQueryError(sqsError, new URLSearchParams(body).get('Action') ?? '', req, reply);
}

async function run(service: QueueService, name: string, input: () => Input, req: FastifyRequest, reply: FastifyReply, unknown: () => SqsError): Promise<Output> {
  const operation = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  if (operation === undefined) throw unknown();
  const gone = new AbortController();
  // the caller went away before its answer (a long poll ends early)
  const onClose = (): void => {
    if (!reply.raw.writableFinished) gone.abort();
  };
  reply.raw.once('close', onClose);
  const context: OperationContext = { origin: `http://${req.headers.host ?? 'localhost'}`, signal: gone.signal };
  try {
    return await operation(service, input(), context);
  } finally {
    reply.raw.off('close', onClose);
  }
}

function jsonInput(raw: unknown): Input {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SqsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SqsError('SerializationException', 'Start of structure or map found where not expected.');
  return parsed as Input;
}
