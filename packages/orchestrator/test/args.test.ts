import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args.js';
import { UsageError } from '../src/errors.js';

describe('parseArgs', () => {
  it('reads --failed, its alias and all-if-none before the command, and leaves the command as typed', () => {
    expect(parseArgs(['--failed', 'npm', 'test', '--failed'])).toEqual({
      kind: 'run',
      command: ['npm', 'test', '--failed'],
      options: { failed: 'only' },
    });
    expect(parseArgs(['--last-failed', 'npx', 'jest'])).toMatchObject({ options: { failed: 'only' } });
    expect(parseArgs(['--failed=all-if-none', '--junit', 'j.xml', 'npx', 'mocha'])).toMatchObject({
      options: { failed: 'all-if-none', junit: 'j.xml' },
    });
  });

  it.each([
    [['--failed=some', 'npm', 'test'], /--failed=some: the only value --failed takes is all-if-none/],
    [['--failed', 'replay', 'x.jsonl'], /--failed runs a command again, narrowed to what failed; 3pio replay runs nothing/],
    [['--failed', 'last'], /3pio last runs nothing/],
    [['--failed'], /No test command given/],
  ])('refuses %j with a message that says what to do', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
