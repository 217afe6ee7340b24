/**
 * Just enough of POSIX shell syntax to read a package.json script: words with their
 * quotes removed, and the operators that separate commands. Expansions ($VAR, globs)
 * are left to the shell that will run the script.
 */
export type ShellToken = { kind: 'word'; value: string; raw: string } | { kind: 'operator'; value: string };

const OPERATORS = ['&&', '||', ';', '|', '&'];

export function tokenize(script: string): ShellToken[] {
  const tokens: ShellToken[] = [];
  let i = 0;
  while (i < script.length) {
    const char = script.charAt(i);
    if (char === ' ' || char === '\t' || char === '\n') {
      i += 1;
      continue;
    }
    const operator = OPERATORS.find((op) => script.startsWith(op, i));
    if (operator !== undefined) {
      tokens.push({ kind: 'operator', value: operator });
      i += operator.length;
      continue;
    }
    const start = i;
    let value = '';
    while (i < script.length && !' \t\n'.includes(script.charAt(i)) && OPERATORS.every((op) => !script.startsWith(op, i))) {
      const c = script.charAt(i);
      if (c === "'") {
        const end = script.indexOf("'", i + 1);
        if (end === -1) throw new Error(`unterminated ' in: ${script}`);
        value += script.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        i += 1;
        while (i < script.length && script[i] !== '"') {
          if (script[i] === '\\' && i + 1 < script.length && '"\\$`'.includes(script.charAt(i + 1))) i += 1;
          value += script.charAt(i);
          i += 1;
        }
        if (i >= script.length) throw new Error(`unterminated " in: ${script}`);
        i += 1;
      } else if (c === '\\' && i + 1 < script.length) {
        value += script.charAt(i + 1);
        i += 2;
      } else {
        value += c;
        i += 1;
      }
    }
    tokens.push({ kind: 'word', value, raw: script.slice(start, i) });
  }
  return tokens;
}

/** Splits tokens into simple commands at `&&`, `||`, `;`, `|` and `&`. */
export function commands(tokens: ShellToken[]): { words: Extract<ShellToken, { kind: 'word' }>[]; after: string | undefined }[] {
  let current: { words: Extract<ShellToken, { kind: 'word' }>[]; after: string | undefined } = { words: [], after: undefined };
  const result = [current];
  for (const token of tokens) {
    if (token.kind === 'operator') {
      current.after = token.value;
      current = { words: [], after: undefined };
      result.push(current);
    } else {
      current.words.push(token);
    }
  }
  return result.filter((command) => command.words.length > 0);
}

/** Quotes a word for a POSIX shell, only when it needs it. */
export function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
