import { describe, expect, it } from 'vitest';
import { consoleLines, consoleText, MAX_CONSOLE_CHARS } from '../src/console/console-text.js';

describe('consoleText', () => {
  it('escapes every control character, separator and bidirectional override', () => {
    expect(consoleText('a\u001b[2Kb\rc\nd\te\u0000f\u007fg\u0085h\u2028i\u202ej')).toBe(
      'a\\u001b[2Kb\\rc\\nd\\te\\u0000f\\u007fg\\u0085h\\u2028i\\u202ej',
    );
    expect(consoleText('plain · ünïcode ✓ 😀')).toBe('plain · ünïcode ✓ 😀');
  });

  it('cuts long text to the width, before escaping, and never inside a surrogate pair', () => {
    const cut = consoleText('x'.repeat(5_000_000));
    expect(cut).toBe(`${'x'.repeat(MAX_CONSOLE_CHARS)}…`);
    const emoji = consoleText(`${'x'.repeat(MAX_CONSOLE_CHARS - 1)}😀`);
    expect(emoji).toBe(`${'x'.repeat(MAX_CONSOLE_CHARS - 1)}…`);
    // Escapes count toward the width too.
    expect(consoleText('\u001b'.repeat(MAX_CONSOLE_CHARS)).length).toBe(MAX_CONSOLE_CHARS + 1);
  });

  it('keeps the lines of a multi-line text, each made safe', () => {
    expect(consoleLines('one\u001b[0m\ntwo\r')).toBe('one\\u001b[0m\ntwo\\r');
  });
});
