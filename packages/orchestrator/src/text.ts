/** Small text helpers the console, the reports and the run log share. */

/** `1 file`, `3 files`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A control character as visible text: `\n`, `\r`, `\t`, else `\u001b`. */
export function escapeControl(char: string): string {
  return NAMED_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
