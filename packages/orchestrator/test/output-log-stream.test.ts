import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ansiStripper, stripAnsiFromFile } from '../src/run/output-log-stream.js';

const scratch = mkdtempSync(join(tmpdir(), '3pio-output-log-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function through(chunks: (string | Buffer)[]): Promise<string> {
  const stripper = ansiStripper();
  let text = '';
  stripper.setEncoding('utf8').on('data', (piece: string) => (text += piece));
  for (const chunk of chunks) stripper.write(chunk);
  stripper.end();
  await once(stripper, 'end');
  return text;
}

describe('ansiStripper (output.log)', () => {
  it('removes escape sequences, also when a chunk ends inside one', async () => {
    expect(await through(['\u001b[32m PASS \u001b', '[39m a.test.js\n', '\u001b[1mbold\u001b[22m\n'])).toBe(' PASS  a.test.js\nbold\n');
  });

  it('keeps a multi-byte character that the pipe split between two chunks', async () => {
    const bytes = Buffer.from('✓ naïve — 日本\n', 'utf8');
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));
    expect(await through(chunks)).toBe('✓ naïve — 日本\n');
  });

  it('passes on a last line without a newline when the runner ends', async () => {
    expect(await through(['one\ntwo'])).toBe('one\ntwo');
  });

  it('passes on complete lines as they come', async () => {
    const stripper = ansiStripper();
    stripper.write('first line\nsecond');
    const [piece] = (await once(stripper.setEncoding('utf8'), 'data')) as [string];
    expect(piece).toBe('first line\n');
    stripper.destroy();
  });

  it('passes on a line that never ends once it is longer than the bound', async () => {
    const stripper = ansiStripper();
    const long = 'x'.repeat(70 * 1024);
    stripper.write(long);
    const [piece] = (await once(stripper.setEncoding('utf8'), 'data')) as [string];
    expect(piece).toBe(long);
    stripper.destroy();
  });
});

describe('stripAnsiFromFile', () => {
  it('rewrites output.log without escapes, owner-only, leaving nothing else behind', async () => {
    const dir = mkdtempSync(join(scratch, 'run-'));
    const log = join(dir, 'output.log');
    writeFileSync(log, '\u001b[31mError:\u001b[39m boom\n  at x (a.js:1:1)\n', { mode: 0o600 });
    await stripAnsiFromFile(log);
    expect(readFileSync(log, 'utf8')).toBe('Error: boom\n  at x (a.js:1:1)\n');
    expect(statSync(log).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['output.log']);
  });

  it('leaves a log without escapes as it is, the same file, so late writers keep appending to it', async () => {
    const dir = mkdtempSync(join(scratch, 'run-'));
    const log = join(dir, 'output.log');
    writeFileSync(log, 'plain output\n', { mode: 0o600 });
    const before = statSync(log).ino;
    await stripAnsiFromFile(log);
    expect(statSync(log).ino).toBe(before);
    expect(readFileSync(log, 'utf8')).toBe('plain output\n');
  });

  it('does nothing when there is no log (the runner could not start)', async () => {
    const dir = mkdtempSync(join(scratch, 'run-'));
    await expect(stripAnsiFromFile(join(dir, 'output.log'))).resolves.toBeUndefined();
    expect(existsSync(join(dir, 'output.log.clean'))).toBe(false);
  });
});
