/**
 * Finds keys that appear twice in one object of a JSON text. JSON.parse keeps the
 * last value silently; log shippers refuse such lines, so tests look at the raw text.
 */
export function duplicateKeys(text: string): string[] {
  const found: string[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i;
    i++; // opening quote
    while (text[i] !== '"') {
      if (i >= text.length) throw new Error(`unterminated string at ${start}`);
      i += text[i] === '\\' ? 2 : 1;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const keys = new Set<string>();
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        const key = string();
        if (keys.has(key)) found.push(`${path}${key}`);
        keys.add(key);
        ws();
        i++; // colon
        value(`${path}${key}.`);
        ws();
        if (text[i++] === '}') return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (let n = 0; ; n++) {
        value(`${path}${n}.`);
        ws();
        if (text[i++] === ']') return;
      }
    }
    if (c === '"') return void string();
    while (i < text.length && !',}] \t\r\n'.includes(text[i]!)) i++; // number, true, false, null
  };
  JSON.parse(text); // well-formed first, so the scan can trust the syntax
  value('');
  return found;
}
