import { describe, expect, it } from 'vitest';
import { failureFromErrors } from '../../src/mapping/failures.js';

const FILE = '/p/tests/types.test-d.ts';

describe('failureFromErrors', () => {
  it("takes the location from Vitest's parsed stacks when the error has no stack (typecheck)", () => {
    const typeError = {
      message: "Type 'string' is not assignable to type 'number'.",
      stack: '',
      stacks: [
        { method: '', file: '/p/node_modules/x/index.d.ts', line: 1, column: 1 },
        { method: '', file: FILE, line: 7, column: 31 },
      ],
    };
    expect(failureFromErrors([{ error: typeError }], FILE)?.location).toEqual({ file: FILE, line: 7, column: 31 });
  });

  it('prefers the stack it can read, and does without a location when there is none', () => {
    const error = { message: 'x', stack: `Error: x\n    at ${FILE}:3:4`, stacks: [{ file: FILE, line: 9, column: 9 }] };
    expect(failureFromErrors([{ error }], FILE)?.location).toEqual({ file: FILE, line: 3, column: 4 });
    expect(failureFromErrors([{ error: { message: 'y', stack: '', stacks: 'no' } }], FILE)?.location).toBeUndefined();
  });
});
