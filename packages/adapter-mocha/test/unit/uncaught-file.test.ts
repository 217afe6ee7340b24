import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileOfUncaughtError } from '../../src/parallel/uncaught-file.js';

const a = join(process.cwd(), 'test', 'a.spec.js');
const b = join(process.cwd(), 'test', 'b.spec.js');

describe('fileOfUncaughtError', () => {
  it('takes the file the error names: absolute, in a require stack, or relative as in Mocha-filtered stacks', () => {
    expect(fileOfUncaughtError(new Error(`Cannot find module './x'\nRequire stack:\n- ${b}`), [a, b], false)).toBe(b);
    const relativeStack = Object.assign(new Error('describe body exploded'), {
      stack: `Error: describe body exploded\n    at Suite.<anonymous> (${relative(process.cwd(), b)}:2:9)`,
    });
    expect(fileOfUncaughtError(relativeStack, [a, b], false)).toBe(b);
  });

  it('falls back to the first candidate (Mocha reports these in file order), but not under --bail', () => {
    expect(fileOfUncaughtError(new Error('Unexpected end of input'), [a, b], false)).toBe(a);
    expect(fileOfUncaughtError(new Error('Unexpected end of input'), [a, b], true)).toBeUndefined();
    expect(fileOfUncaughtError('a string', [], false)).toBeUndefined();
  });
});
