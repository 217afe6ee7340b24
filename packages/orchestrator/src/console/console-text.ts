/**
 * Text from events (test names, file paths, error messages) as the console may show it:
 * one line, no control characters (an ANSI escape, a carriage return or a newline in a
 * test name could repaint the terminal or fake a "PASSED" line), and cut to a width an
 * agent can read. The reports keep the full text.
 */
import { escapeControl } from '../text.js';

/** The longest text from an event that one console line shows. */
export const MAX_CONSOLE_CHARS = 240;

// C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional overrides that reorder what is shown.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function consoleText(text: string, maxChars = MAX_CONSOLE_CHARS): string {
  // Cut before escaping: a 5 MB name costs no more than a short one.
  const head = text.length > maxChars ? text.slice(0, maxChars) : text;
  const escaped = head.replace(UNSAFE, escapeControl);
  if (escaped.length <= maxChars && head.length === text.length) return escaped;
  let shown = escaped.slice(0, maxChars);
  // Never half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(shown)) shown = shown.slice(0, -1);
  return `${shown}…`;
}

/** Each line of a multi-line text (the end of a command's output) made safe on its own. */
export function consoleLines(text: string, maxChars = MAX_CONSOLE_CHARS): string {
  return text
    .split('\n')
    .map((line) => consoleText(line, maxChars))
    .join('\n');
}
