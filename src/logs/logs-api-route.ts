/**
 * CloudWatch Logs on Flint's endpoint: `POST /` with `X-Amz-Target: Logs_20140328.<Operation>`
 * and a JSON body (awsJson1_1), as the AWS SDK and CLI send it. A `POST /` without that
 * target is the Lambda API's unknown operation (the shared `POST /` dispatch of api/).
 */
import type { Clock, Logger } from '../shared/index.ts';
import { addTargetHandler, type FastifyInstance, type FastifyReply, type FastifyRequest } from '../api/index.ts';
import { filterLogEvents, getLogEvents } from './log-events.ts';
import { startLiveTail } from './live-tail.ts';
import { LogGroups } from './log-groups.ts';
import { LogsError, renderLogsError } from './logs-error.ts';
import type { LogGroupStorage } from './ports.ts';
import type { Input } from './wire-input.ts';

const TARGET_PREFIX = 'Logs_20140328.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** How often groups with a retention policy lose their expired streams. */
const RETENTION_SWEEP_MS = 10 * 60 * 1000;

export interface LogsApiDeps {
  /** The log store (retention policies included). */
  readonly storage: LogGroupStorage;
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  readonly logger: Logger;
}

type Operation = (groups: LogGroups, input: Input) => Promise<object>;

const OPERATIONS: Readonly<Record<string, Operation>> = {
  DescribeLogGroups: (g, i) => g.describeLogGroups(i),
  CreateLogGroup: (g, i) => g.createLogGroup(i),
  DeleteLogGroup: (g, i) => g.deleteLogGroup(i),
  PutRetentionPolicy: (g, i) => g.putRetentionPolicy(i),
  DeleteRetentionPolicy: (g, i) => g.deleteRetentionPolicy(i),
  DescribeLogStreams: (g, i) => g.describeLogStreams(i),
  DeleteLogStream: (g, i) => g.deleteLogStream(i),
  GetLogEvents: getLogEvents,
  FilterLogEvents: filterLogEvents,
};

/** Registers the route and the retention sweep (stopped when the server closes). */
export function registerLogsApi(app: FastifyInstance, deps: LogsApiDeps): LogGroups {
  const groups = new LogGroups(deps);
  const sweep = setInterval(() => {
    groups.enforceRetention().catch((err: unknown) => deps.logger.warn({ err }, 'log retention sweep failed'));
  }, RETENTION_SWEEP_MS);
  sweep.unref();
  const liveTails = new Set<FastifyReply>();
  app.addHook('onClose', (_app, done) => {
    clearInterval(sweep);
    done();
  });
  // live tails never end by themselves: end them before the server waits for its connections
  app.addHook('preClose', (done) => {
    for (const reply of liveTails) reply.raw.end();
    done();
  });
  addTargetHandler(app, TARGET_PREFIX, async (req, reply) => {
    const target = req.headers['x-amz-target'] as string;
    await answer(groups, target.slice(TARGET_PREFIX.length), req, reply, liveTails);
  }, logsRequestError);
  return groups;
}

async function answer(groups: LogGroups, name: string, req: FastifyRequest, reply: FastifyReply, liveTails: Set<FastifyReply>): Promise<void> {
  try {
    const operation = OPERATIONS[name];
    if (name === 'StartLiveTail') {
      (await startLiveTail(groups, parseInput(req.body)))(req, reply);
      liveTails.add(reply);
      reply.raw.on('close', () => liveTails.delete(reply));
      return;
    }
    if (operation === undefined) throw new LogsError('UnknownOperationException', `Unknown operation ${name}`);
    const output = await operation(groups, parseInput(req.body));
    void reply.code(200).type(CONTENT_TYPE).send(JSON.stringify(output));
  } catch (err) {
    if (!(err instanceof LogsError)) throw err;
    req.log.info({ code: err.code, operation: name }, err.message);
    const rendered = renderLogsError(err);
    void reply.code(rendered.status).header('x-amzn-ErrorType', err.code).type(CONTENT_TYPE).send(JSON.stringify(rendered.body));
  }
}

/**
 * A request to `POST /` refused before its handler ran (a Content-Type that is no media type, a
 * body over the limit): a Logs operation gets it in the Logs shape; anything else goes on to the
 * Lambda API's error handler.
 */
function logsRequestError(err: Error & { statusCode?: number; code?: string }, req: FastifyRequest, reply: FastifyReply): void {
  const target = req.headers['x-amz-target'];
  const clientFault = err.code?.startsWith('FST_') === true && err.statusCode !== undefined && err.statusCode < 500;
  if (!(err instanceof LogsError) && (!clientFault || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX))) throw err;
  const logsError = err instanceof LogsError ? err : new LogsError('SerializationException', err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'Request body is too large.' : 'The request body could not be read.');
  req.log.info({ code: logsError.code }, logsError.message);
  const rendered = renderLogsError(logsError);
  void reply.code(rendered.status).header('x-amzn-ErrorType', logsError.code).type(CONTENT_TYPE).send(JSON.stringify(rendered.body));
}

function parseInput(raw: unknown): Input {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LogsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new LogsError('SerializationException', 'Start of structure or map found where not expected.');
  return parsed as Input;
}
