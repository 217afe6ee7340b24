/** Markdown building blocks that stay correct whatever text a test name or output holds. */

/** The longest run of backticks in `text`. A loop: text from a test can hold any number of runs (no spreading them into a call). */
function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}

/** A fenced block that no run of backticks inside `text` can close early. */
export function codeBlock(text: string, language = ''): string {
  const fence = '`'.repeat(Math.max(2, longestBacktickRun(text)) + 1);
  return `${fence}${language}\n${text.endsWith('\n') ? text : `${text}\n`}${fence}`;
}

/** Inline code for a name or path, safe with backticks in it. */
export function inlineCode(text: string): string {
  const ticks = '`'.repeat(longestBacktickRun(text) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text.replaceAll('\n', ' ')}${pad}${ticks}`;
}

/** Text for a table cell or a heading: one line, Markdown's active characters escaped. */
export function plain(text: string): string {
  return text
    .replaceAll('\r', '')
    .replaceAll('\n', ' ')
    .replace(/[\\`*_[\]<>|#]/g, (char) => `\\${char}`);
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
