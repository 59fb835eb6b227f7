/**
 * CloudWatch Logs filter patterns, compiled once into a predicate over one event's message. Pure.
 *
 *   ""                       every event
 *   ERROR "disk full"        every term (a word or a quoted phrase) occurs; case-sensitive
 *   ?ERROR ?WARN             at least one of the `?` terms occurs
 *   ERROR -Exiting           ERROR occurs and Exiting does not
 *   %time[o]ut%              a regular expression
 *   { $.level = "ERROR" }    a JSON pattern over messages that are JSON objects (json-pattern.ts)
 *   [ip, user, status=4*]    a space-delimited pattern (space-delimited-pattern.ts)
 */
import { compileJsonPattern } from './json-pattern.ts';
import { compileSpaceDelimitedPattern } from './space-delimited-pattern.ts';

export type MessagePredicate = (message: string) => boolean;

/** A pattern CloudWatch would refuse; the API answers InvalidParameterException with this text. */
export class FilterPatternError extends Error {
  constructor(pattern: string) {
    super(`Invalid filter pattern: ${pattern}`);
    this.name = 'FilterPatternError';
  }
}

const EVERY: MessagePredicate = () => true;

export function compileFilterPattern(pattern: string | undefined): MessagePredicate {
  const text = (pattern ?? '').trim();
  if (text === '') return EVERY;
  try {
    if (text.startsWith('{')) return compileJsonPattern(text);
    if (text.startsWith('[')) return compileSpaceDelimitedPattern(text);
    if (text.length >= 2 && text.startsWith('%') && text.endsWith('%')) {
      const re = new RegExp(text.slice(1, -1));
      return (m) => re.test(m);
    }
    return compileTerms(text);
  } catch {
    throw new FilterPatternError(text);
  }
}

function compileTerms(text: string): MessagePredicate {
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const raw of splitTerms(text)) {
    const kind = raw.text[0] === '?' && !raw.quoted ? '?' : raw.text[0] === '-' && !raw.quoted && raw.text.length > 1 ? '-' : '';
    const body = kind === '' ? raw.text : unquote(raw.text.slice(1));
    if (body === '') throw new Error('empty term');
    (kind === '?' ? any : kind === '-' ? none : all).push(body);
  }
  return (m) => all.every((t) => m.includes(t)) && (any.length === 0 || any.some((t) => m.includes(t))) && !none.some((t) => m.includes(t));
}

/** Terms separated by spaces; a double-quoted phrase (possibly after `?` or `-`) is one term. */
function splitTerms(text: string): Array<{ text: string; quoted: boolean }> {
  const terms: Array<{ text: string; quoted: boolean }> = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    let j = i;
    const prefixed = text[j] === '?' || text[j] === '-';
    if (prefixed) j++;
    if (text[j] === '"') {
      const close = text.indexOf('"', j + 1);
      if (close < 0) throw new Error('unterminated quote');
      const phrase = text.slice(j + 1, close);
      terms.push(prefixed ? { text: text[i] + `"${phrase}"`, quoted: false } : { text: phrase, quoted: true });
      i = close + 1;
      continue;
    }
    while (j < text.length && text[j] !== ' ') j++;
    terms.push({ text: text.slice(i, j), quoted: false });
    i = j;
  }
  return terms;
}

function unquote(term: string): string {
  return term.length >= 2 && term.startsWith('"') && term.endsWith('"') ? term.slice(1, -1) : term;
}
