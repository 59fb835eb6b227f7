/**
 * CloudWatch's space-delimited filter patterns: `[ip, user, ..., status = 4*, bytes > 1000]`.
 * An event's message splits into fields at spaces (text in `""` or `[]` is one field); each
 * named field may carry one comparison; `...` stands for any number of fields. Without `...`
 * the event must have exactly as many fields as the pattern. Pure.
 */
import { compareValue, patternValue, type Comparison, type PatternValue } from './pattern-values.ts';

type Field = { readonly kind: 'ellipsis' } | { readonly kind: 'field'; readonly test?: { readonly op: Comparison; readonly value: PatternValue } };

export function compileSpaceDelimitedPattern(text: string): (message: string) => boolean {
  const inner = text.trim();
  if (!inner.startsWith('[') || !inner.endsWith(']')) throw new Error('a space-delimited pattern is enclosed in [ ]');
  const fields = inner.slice(1, -1).split(',').map((f) => parseField(f.trim()));
  return (message) => matchFields(fields, 0, splitMessage(message), 0);
}

function parseField(text: string): Field {
  if (text === '...') return { kind: 'ellipsis' };
  const m = /^([A-Za-z_][\w]*)\s*(?:(!=|<=|>=|=|<|>)\s*(.+))?$/.exec(text);
  if (m === null) throw new Error(`bad field ${text}`);
  if (m[2] === undefined) return { kind: 'field' };
  const raw = m[3]!.trim();
  const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
  const value = patternValue(quoted ? raw.slice(1, -1) : raw, quoted);
  const op = m[2] as Comparison;
  if (value.kind === 'string' && op !== '=' && op !== '!=') throw new Error(`${op} compares numbers only`);
  return { kind: 'field', test: { op, value } };
}

function matchFields(pattern: readonly Field[], p: number, values: readonly string[], v: number): boolean {
  if (p === pattern.length) return v === values.length;
  const field = pattern[p]!;
  if (field.kind === 'ellipsis') {
    for (let skip = v; skip <= values.length; skip++) if (matchFields(pattern, p + 1, values, skip)) return true;
    return false;
  }
  if (v === values.length) return false;
  if (field.test && !compareValue(values[v], field.test.op, field.test.value)) return false;
  return matchFields(pattern, p + 1, values, v + 1);
}

/** Fields of a message: split at spaces; `"..."` and `[...]` are one field each (without their delimiters). */
export function splitMessage(message: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < message.length) {
    const c = message[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const close = c === '"' ? '"' : c === '[' ? ']' : undefined;
    const end = close === undefined ? -1 : message.indexOf(close, i + 1);
    if (end > i) {
      out.push(message.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < message.length && message[j] !== ' ' && message[j] !== '\t') j++;
    out.push(message.slice(i, j));
    i = j;
  }
  return out;
}
