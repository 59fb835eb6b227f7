/** How a filter pattern compares one value it names with the value found in an event. Pure. */

export type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A value written in a pattern: a number, or a string in which `*` matches any run of characters. */
export type PatternValue = { readonly kind: 'number'; readonly n: number } | { readonly kind: 'string'; readonly re: RegExp };

export function patternValue(text: string, quoted: boolean): PatternValue {
  if (!quoted && text !== '' && Number.isFinite(Number(text))) return { kind: 'number', n: Number(text) };
  return { kind: 'string', re: wildcardRegExp(text) };
}

/** `*` matches any run of characters; everything else is literal. */
export function wildcardRegExp(value: string): RegExp {
  return new RegExp(`^${value.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/**
 * Numbers compare numerically (an event value that is not a number never matches); strings
 * support `=` and `!=` only, against the event value's text.
 */
export function compareValue(actual: unknown, op: Comparison, expected: PatternValue): boolean {
  if (actual === undefined) return false;
  if (expected.kind === 'number') {
    const n = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
    if (Number.isNaN(n)) return false;
    switch (op) {
      case '=': return n === expected.n;
      case '!=': return n !== expected.n;
      case '<': return n < expected.n;
      case '<=': return n <= expected.n;
      case '>': return n > expected.n;
      case '>=': return n >= expected.n;
    }
  }
  if (actual === null || typeof actual === 'object') return false;
  const matches = expected.re.test(String(actual));
  if (op === '=') return matches;
  if (op === '!=') return !matches;
  throw new Error(`${op} needs a number`);
}
