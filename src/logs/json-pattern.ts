/**
 * CloudWatch's JSON filter patterns, `{ SELECTOR OP VALUE }` joined with `&&`, `||` and
 * parentheses. Selectors are `$.a.b`, `$.list[0]`; comparisons `=` `!=` (strings with `*`
 * wildcards, numbers) and `<` `<=` `>` `>=` (numbers); `IS TRUE|FALSE|NULL`, `EXISTS`, `NOT EXISTS`.
 * An event whose message is not a JSON object never matches. Pure.
 */
import { compareValue, patternValue, type Comparison } from './pattern-values.ts';

type Node = (doc: unknown) => boolean;
type Token = { readonly t: 'op' | 'word' | 'string' | '(' | ')' | '&&' | '||'; readonly v: string };

export function compileJsonPattern(text: string): (message: string) => boolean {
  const inner = text.trim();
  if (!inner.startsWith('{') || !inner.endsWith('}')) throw new Error('a JSON pattern is enclosed in { }');
  const parser = new Parser(tokenize(inner.slice(1, -1)));
  const node = parser.or();
  if (!parser.done()) throw new Error('unexpected text after the expression');
  return (message) => {
    if (!message.trimStart().startsWith('{')) return false;
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    return node(doc);
  };
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n') i++;
    else if (c === '(' || c === ')') {
      out.push({ t: c, v: c });
      i++;
    } else if (s.startsWith('&&', i) || s.startsWith('||', i)) {
      out.push({ t: s.slice(i, i + 2) as '&&' | '||', v: '' });
      i += 2;
    } else if (/[=!<>]/.test(c)) {
      const op = s.startsWith('=', i + 1) && c !== '=' ? s.slice(i, i + 2) : c;
      if (op === '!') throw new Error('lone !');
      out.push({ t: 'op', v: op });
      i += op.length;
    } else if (c === '"') {
      const close = s.indexOf('"', i + 1);
      if (close < 0) throw new Error('unterminated quote');
      out.push({ t: 'string', v: s.slice(i + 1, close) });
      i = close + 1;
    } else {
      let j = i;
      while (j < s.length && !/[\s()=!<>&|"]/.test(s[j]!)) j++;
      out.push({ t: 'word', v: s.slice(i, j) });
      i = j;
    }
  }
  return out;
}

class Parser {
  readonly #tokens: Token[];
  #at = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  done(): boolean {
    return this.#at === this.#tokens.length;
  }

  or(): Node {
    const parts = [this.and()];
    while (this.#peek()?.t === '||') {
      this.#at++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0]! : (doc) => parts.some((p) => p(doc));
  }

  and(): Node {
    const parts = [this.unary()];
    while (this.#peek()?.t === '&&') {
      this.#at++;
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0]! : (doc) => parts.every((p) => p(doc));
  }

  unary(): Node {
    if (this.#peek()?.t === '(') {
      this.#at++;
      const node = this.or();
      if (this.#next().t !== ')') throw new Error('missing )');
      return node;
    }
    return this.comparison();
  }

  comparison(): Node {
    const selector = this.#next();
    if (selector.t !== 'word' || !selector.v.startsWith('$')) throw new Error('a comparison starts with a $ selector');
    const path = parseSelector(selector.v);
    const next = this.#next();
    if (next.t === 'word') return this.#keyword(path, next.v);
    if (next.t !== 'op') throw new Error('missing comparison operator');
    const value = this.#next();
    if (value.t !== 'word' && value.t !== 'string') throw new Error('missing value');
    const expected = patternValue(value.v, value.t === 'string');
    const op = next.v as Comparison;
    if (expected.kind === 'string' && op !== '=' && op !== '!=') throw new Error(`${op} compares numbers only`);
    return (doc) => compareValue(select(doc, path), op, expected);
  }

  #keyword(path: Array<string | number>, word: string): Node {
    if (word === 'EXISTS') return (doc) => select(doc, path) !== undefined;
    if (word === 'NOT') {
      if (this.#next().v !== 'EXISTS') throw new Error('NOT must be followed by EXISTS');
      return (doc) => select(doc, path) === undefined;
    }
    if (word !== 'IS') throw new Error(`unexpected ${word}`);
    const what = this.#next().v;
    const want = what === 'TRUE' ? true : what === 'FALSE' ? false : what === 'NULL' ? null : undefined;
    if (want === undefined) throw new Error('IS takes TRUE, FALSE or NULL');
    return (doc) => select(doc, path) === want;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#at];
  }

  #next(): Token {
    const t = this.#tokens[this.#at++];
    if (t === undefined) throw new Error('unexpected end of pattern');
    return t;
  }
}

/** `$.a.b[2].c` -> ['a', 'b', 2, 'c']. */
function parseSelector(text: string): Array<string | number> {
  const path: Array<string | number> = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < text.length) {
    const m = re.exec(text);
    if (m === null) throw new Error(`bad selector ${text}`);
    path.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  if (path.length === 0) throw new Error('a selector names a member');
  return path;
}

function select(doc: unknown, path: ReadonlyArray<string | number>): unknown {
  let at: unknown = doc;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    if (typeof key === 'number' ? !Array.isArray(at) : !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}
