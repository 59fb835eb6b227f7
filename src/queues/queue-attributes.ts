/**
 * Queue attributes as SQS validates them: which names exist, which can be set (and on which
 * queue type), their ranges, defaults, and the redrive policy's JSON.
 */
import { SqsError } from './sqs-error.ts';

/** What a new queue holds when CreateQueue leaves an attribute out. */
export const QUEUE_DEFAULTS: Readonly<Record<string, string>> = {
  VisibilityTimeout: '30',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  DelaySeconds: '0',
  ReceiveMessageWaitTimeSeconds: '0',
  SqsManagedSseEnabled: 'true',
};

const RANGES: Readonly<Record<string, readonly [number, number]>> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1048576],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};
const BOOLEANS = new Set(['SqsManagedSseEnabled', 'FifoQueue', 'ContentBasedDeduplication']);
const FREE_FORM = new Set(['RedrivePolicy', 'RedriveAllowPolicy', 'Policy', 'KmsMasterKeyId']);
const FIFO_ONLY: Readonly<Record<string, readonly string[]>> = {
  ContentBasedDeduplication: ['true', 'false'],
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};
/** Computed: readable through GetQueueAttributes, never set. */
export const COMPUTED_ATTRIBUTES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
] as const;

export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

const invalidValue = (name: string, reason?: string): SqsError =>
  new SqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.${reason === undefined ? '' : ` Reason: ${reason}`}`);

/** Whether `name` is an attribute GetQueueAttributes knows (for a queue of this type). */
export function isKnownAttribute(name: string, fifo: boolean): boolean {
  if (name in FIFO_ONLY || name === 'FifoQueue') return fifo;
  return name in RANGES || BOOLEANS.has(name) || FREE_FORM.has(name) || (COMPUTED_ATTRIBUTES as readonly string[]).includes(name);
}

/**
 * The attributes as stored (strings, booleans lowercase), or an SqsError: unknown names,
 * values out of range, FIFO attributes on a standard queue, FifoQueue outside CreateQueue.
 */
export function validateQueueAttributes(input: Readonly<Record<string, unknown>>, fifo: boolean, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input)) {
    const value = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
    if (value === undefined) throw invalidValue(name);
    if (name === 'FifoQueue') {
      if (!creating) throw invalidValue(name, 'Modifying queue type is not supported.');
      if (value.toLowerCase() !== String(fifo)) throw invalidValue(name);
      out[name] = String(fifo);
    } else if (name in FIFO_ONLY) {
      if (!fifo) throw new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
      const allowed = FIFO_ONLY[name]!;
      const normalized = name === 'ContentBasedDeduplication' ? value.toLowerCase() : value;
      if (!allowed.includes(normalized)) throw invalidValue(name);
      out[name] = normalized;
    } else if (name in RANGES) {
      const [min, max] = RANGES[name]!;
      const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
      if (!(n >= min && n <= max)) throw invalidValue(name);
      out[name] = String(n);
    } else if (BOOLEANS.has(name)) {
      if (!/^(true|false)$/i.test(value)) throw invalidValue(name);
      out[name] = value.toLowerCase();
    } else if (name === 'RedrivePolicy') {
      out[name] = value === '' ? '' : JSON.stringify(parseRedrivePolicy(value));
    } else if (FREE_FORM.has(name)) {
      out[name] = value;
    } else {
      throw new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
  }
  return out;
}

/** The stored policy's parts, or undefined when the queue has none. */
export function redrivePolicyOf(attributes: Readonly<Record<string, string>>): RedrivePolicy | undefined {
  const text = attributes.RedrivePolicy;
  return text === undefined || text === '' ? undefined : (JSON.parse(text) as RedrivePolicy);
}

function parseRedrivePolicy(text: string): RedrivePolicy {
  const reject = (reason: string): SqsError => new SqsError('InvalidParameterValue', `Value ${text} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw reject('Redrive policy is not a valid JSON map.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw reject('Redrive policy is not a valid JSON map.');
  const { deadLetterTargetArn, maxReceiveCount } = parsed as Record<string, unknown>;
  if (typeof deadLetterTargetArn !== 'string' || deadLetterTargetArn === '') throw reject('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  if (maxReceiveCount === undefined) throw reject('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  const count = typeof maxReceiveCount === 'number' ? maxReceiveCount : typeof maxReceiveCount === 'string' && /^\d+$/.test(maxReceiveCount) ? Number(maxReceiveCount) : NaN;
  if (!(Number.isInteger(count) && count >= 1 && count <= 1000)) throw reject('Invalid value for maxReceiveCount: must be between 1 and 1000.');
  return { deadLetterTargetArn, maxReceiveCount: count };
}
