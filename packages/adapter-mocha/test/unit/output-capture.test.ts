import { describe, expect, it } from 'vitest';
import { captureOutput } from '../../src/output-capture.js';

describe('captureOutput', () => {
  it('passes every write through with its return value, even when the listener throws, and restores the stream', () => {
    const original = process.stdout.write;
    const seen: string[] = [];
    const stop = captureOutput((stream, text) => {
      seen.push(`${stream}:${text}`);
      throw new Error('listener failure');
    });
    try {
      expect(process.stdout.write('')).toBe(true);
      expect(process.stdout.write(new Uint8Array(Buffer.from('')))).toBe(true);
      expect(process.stdout.write('', 'utf8')).toBe(true);
    } finally {
      stop();
    }
    expect(process.stdout.write).toBe(original);
    expect(seen).toEqual(['stdout:', 'stdout:', 'stdout:']);
  });

  it('reports nothing while muted, and still passes the write through', () => {
    const seen: string[] = [];
    let muted = true;
    const stop = captureOutput(
      (_stream, text) => seen.push(text),
      () => muted,
    );
    try {
      expect(process.stdout.write('')).toBe(true);
      muted = false;
      process.stderr.write('');
    } finally {
      stop();
    }
    expect(seen).toEqual(['']);
  });

  it('leaves a wrapper installed on top of it working after it stops', () => {
    const original = process.stdout.write;
    const seen: string[] = [];
    const stop = captureOutput((_stream, text) => seen.push(text));
    const ours = process.stdout.write;
    const theirs = ((...args: Parameters<typeof ours>) => ours.apply(process.stdout, args)) as typeof ours;
    process.stdout.write = theirs;
    try {
      stop();
      expect(process.stdout.write).toBe(theirs);
      process.stdout.write('');
      expect(seen).toEqual([]);
    } finally {
      process.stdout.write = original;
    }
  });
});
