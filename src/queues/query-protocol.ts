/**
 * SQS's query protocol (API version 2012-11-05, what older clients speak): a form body with
 * `Action=` and flattened lists (`Attribute.1.Name`, `SendMessageBatchRequestEntry.2.Id`, ...)
 * becomes the JSON protocol's input shape; an operation's output becomes the XML answer, and
 * an error `<ErrorResponse>`.
 */
import type { Input, Output } from './sqs-operations.ts';
import type { SqsError } from './sqs-error.ts';

const XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';
/** Operations whose answer has no result element. */
const RESULTLESS = new Set(['DeleteQueue', 'SetQueueAttributes', 'PurgeQueue', 'DeleteMessage', 'ChangeMessageVisibility', 'TagQueue', 'UntagQueue']);
/** Flattened query lists and their JSON member. */
const LISTS: Readonly<Record<string, string>> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  TagKey: 'TagKeys',
  SendMessageBatchRequestEntry: 'Entries',
  DeleteMessageBatchRequestEntry: 'Entries',
  ChangeMessageVisibilityBatchRequestEntry: 'Entries',
};

type Tree = { [key: string]: Tree | string };

/** Path parts that would reach an object's prototype. */
const UNSAFE_PARTS = new Set(['__proto__', 'constructor', 'prototype']);

/** The form's parameters (Action and Version left out) in the JSON protocol's shape. */
export function queryInput(form: URLSearchParams): Input {
  const tree: Tree = Object.create(null) as Tree;
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    const path = key.split('.');
    // no member of SQS is named so: a form key such as `__proto__.x` must not reach Object.prototype
    if (path.some((part) => UNSAFE_PARTS.has(part))) continue;
    let node = tree;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (typeof node[part] === 'object' ? node[part] : (node[part] = Object.create(null) as Tree)) as Tree;
    });
  }
  return normalize(tree);
}

function normalize(tree: Tree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') {
      out[key] = value;
    } else if (key === 'Attribute') {
      out.Attributes = pairs(value, 'Name', (v) => (typeof v === 'string' ? v : undefined));
    } else if (key === 'Tag') {
      out.Tags = pairs(value, 'Key', (v) => (typeof v === 'string' ? v : undefined), 'Value');
    } else if (key === 'MessageAttribute' || key === 'MessageSystemAttribute') {
      out[`${key}s`] = pairs(value, 'Name', (v) => (typeof v === 'object' ? normalize(v) : undefined));
    } else if (Object.hasOwn(LISTS, key)) {
      out[LISTS[key]!] = items(value).map((v) => (typeof v === 'string' ? v : normalize(v)));
    } else {
      out[key] = normalize(value);
    }
  }
  return out;
}

/** A flattened list's members in index order (`.1`, `.2`, ...). */
function items(node: Tree): Array<Tree | string> {
  return Object.keys(node)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => node[k]!);
}

function pairs(node: Tree, keyName: string, valueOf: (v: Tree | string) => unknown, valueName = 'Value'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items(node)) {
    if (typeof item !== 'object') continue;
    const key = item[keyName];
    const value = item[valueName] === undefined ? undefined : valueOf(item[valueName]);
    // defined, not assigned: a name `__proto__` is a member like any other (as JSON.parse makes it)
    if (typeof key === 'string' && value !== undefined) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The XML answer of `action` with `output`. */
export function queryResponse(action: string, output: Output, requestId: string): string {
  const result = RESULTLESS.has(action) ? '' : `<${action}Result>${members(action, output)}</${action}Result>`;
  return `<?xml version="1.0"?><${action}Response xmlns="${XMLNS}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function queryErrorResponse(err: SqsError, requestId: string): string {
  return `<?xml version="1.0"?><ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${escape(err.queryCode)}</Code><Message>${escape(err.message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

function members(action: string, output: Record<string, unknown>): string {
  return Object.entries(output).map(([name, value]) => member(action, name, value)).join('');
}

function member(action: string, name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (name === 'Attributes') return entries(value, (k, v) => `<Attribute><Name>${escape(k)}</Name><Value>${escape(String(v))}</Value></Attribute>`);
  if (name === 'Tags') return entries(value, (k, v) => `<Tag><Key>${escape(k)}</Key><Value>${escape(String(v))}</Value></Tag>`);
  if (name === 'MessageAttributes') return entries(value, (k, v) => `<MessageAttribute><Name>${escape(k)}</Name><Value>${members(action, v as Record<string, unknown>)}</Value></MessageAttribute>`);
  if (Array.isArray(value)) {
    const element = name === 'QueueUrls' ? 'QueueUrl' : name === 'Messages' ? 'Message' : name === 'Successful' ? `${action}ResultEntry` : name === 'Failed' ? 'BatchResultErrorEntry' : name;
    return value.map((v) => (typeof v === 'object' && v !== null ? `<${element}>${members(action, v as Record<string, unknown>)}</${element}>` : `<${element}>${escape(String(v))}</${element}>`)).join('');
  }
  if (typeof value === 'object') return `<${name}>${members(action, value as Record<string, unknown>)}</${name}>`;
  return `<${name}>${escape(String(value))}</${name}>`;
}

function entries(value: unknown, render: (key: string, value: unknown) => string): string {
  return Object.entries(value as Record<string, unknown>).map(([k, v]) => render(k, v)).join('');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\r/g, '&#xD;');
}
