import { describe, expect, it } from 'vitest';
import { LineSplitter, type TooLongLine } from '../src/reader/line-splitter.js';

function splitter(maxLineBytes = 1024) {
  const tooLong: TooLongLine[] = [];
  const lines: { text: string; offset: number }[] = [];
  const s = new LineSplitter(maxLineBytes, (line) => tooLong.push(line));
  const feed = (...chunks: (string | Buffer)[]) => {
    for (const chunk of chunks) {
      s.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      for (let line = s.next(); line !== undefined; line = s.next()) lines.push({ text: line, offset: s.lineOffset });
    }
  };
  return { s, feed, lines, tooLong };
}

describe('LineSplitter', () => {
  it('splits complete lines and gives each one its byte offset', () => {
    const { feed, lines } = splitter();
    feed('a\nbb\n\nccc\n');
    expect(lines).toEqual([
      { text: 'a', offset: 0 },
      { text: 'bb', offset: 2 },
      { text: '', offset: 5 },
      { text: 'ccc', offset: 6 },
    ]);
  });

  it('holds a partial line until its newline arrives, across many chunks', () => {
    const { s, feed, lines } = splitter();
    feed('first\nsec', 'o', 'nd');
    expect(lines.map((l) => l.text)).toEqual(['first']);
    expect(s.heldBytes).toBe(6);
    expect(s.needsInput).toBe(true);
    feed('\nthird\n');
    expect(lines).toEqual([
      { text: 'first', offset: 0 },
      { text: 'second', offset: 6 },
      { text: 'third', offset: 13 },
    ]);
    expect(s.heldBytes).toBe(0);
  });

  it('joins a multi-byte character split between chunks', () => {
    const { feed, lines } = splitter();
    const bytes = Buffer.from('héllo 日本\n');
    feed(bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9));
    expect(lines).toEqual([{ text: 'héllo 日本', offset: 0 }]);
  });

  it('skips a line over the limit in one chunk and goes on', () => {
    const { feed, lines, tooLong } = splitter(10);
    feed(`ok\n${'x'.repeat(11)}\nafter\n`);
    expect(lines.map((l) => l.text)).toEqual(['ok', 'after']);
    expect(tooLong).toEqual([{ offset: 3, length: 11, tail: 'x'.repeat(10) }]);
  });

  it('accepts a line of exactly the limit', () => {
    const { feed, lines, tooLong } = splitter(10);
    feed('x'.repeat(5), `${'x'.repeat(5)}\n`);
    expect(lines).toEqual([{ text: 'x'.repeat(10), offset: 0 }]);
    expect(tooLong).toEqual([]);
  });

  it('drops an over-long line as it arrives, holding no more than its end: the limit and a chunk', () => {
    const { s, feed, lines, tooLong } = splitter(100);
    feed('start\n');
    let peak = 0;
    for (let i = 0; i < 1000; i += 1) {
      feed('y'.repeat(64));
      peak = Math.max(peak, s.heldBytes);
    }
    feed('z\nend\n');
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(100 + 64);
    expect(lines.map((l) => l.text)).toEqual(['start', 'end']);
    // Its last 100 bytes are kept: an event glued to the end of a killed writer's half line can be recovered.
    expect(tooLong).toEqual([{ offset: 6, length: 64_001, tail: `${'y'.repeat(99)}z` }]);
    expect(lines[1]?.offset).toBe(6 + 64_002);
  });

  it('reports a line over the limit that only grows past it with its last piece', () => {
    const { feed, tooLong, lines } = splitter(10);
    feed('x'.repeat(8), 'x'.repeat(8), '\nok\n');
    expect(tooLong).toEqual([{ offset: 0, length: 16, tail: 'x'.repeat(10) }]);
    expect(lines.map((l) => l.text)).toEqual(['ok']);
  });

  it('hands back the partial line on reset and starts again at the new offset', () => {
    const { s, feed, lines } = splitter();
    feed('done\npart');
    expect(s.reset(0)).toEqual({ text: 'part', offset: 5 });
    expect(s.reset(0)).toBeUndefined();
    feed('new\n');
    expect(lines.at(-1)).toEqual({ text: 'new', offset: 0 });
  });

  it('reports an over-long partial line on reset by its length and its end', () => {
    const { s, feed } = splitter(4);
    feed('abcdefgh');
    expect(s.reset(0)).toEqual({ offset: 0, length: 8, tail: 'efgh' });
  });

  it('refuses to reset while complete lines are unread', () => {
    const { s } = splitter();
    s.push(Buffer.from('a\nb\n'));
    expect(() => s.reset(0)).toThrow(/unread/);
  });
});
