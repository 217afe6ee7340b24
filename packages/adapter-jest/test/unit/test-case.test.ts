import type { AssertionResult } from '@jest/test-result';
import { describe, expect, it } from 'vitest';
import { testCaseEvent } from '../../src/mapping/test-case.js';

const FILE = '/p/tests/a.test.js';
const JEST_FILE = { fields: { filePath: FILE }, key: FILE };

function failed(failureMessage: string): AssertionResult {
  return {
    ancestorTitles: ['suite'],
    title: 'fails',
    fullName: 'suite fails',
    status: 'failed',
    failureMessages: [failureMessage],
    failureDetails: [],
    numPassingAsserts: 0,
    duration: 3,
  } as unknown as AssertionResult;
}

describe('testCaseEvent', () => {
  it('takes the message up to the stack, and the location from the stack', () => {
    const text = `Error: Could not connect\n  at least 3 retries failed\n    at Object.<anonymous> (${FILE}:7:11)\n    at Promise.then.completed (/p/node_modules/jest-circus/build/utils.js:298:28)`;
    const { payload } = testCaseEvent(JEST_FILE, failed(text), 'r0');
    expect(payload.error).toBe('Error: Could not connect\n  at least 3 retries failed');
    expect(payload.failure).toMatchObject({ message: payload.error, stack: text, location: { file: FILE, line: 7, column: 11 } });
  });

  it('keeps the whole text as the message when it has no stack', () => {
    expect(testCaseEvent(JEST_FILE, failed('thrown: "a string"'), 'r0').payload.error).toBe('thrown: "a string"');
  });

  it('ends the message at a frame without a file (native, anonymous)', () => {
    expect(
      testCaseEvent(JEST_FILE, failed('Error: boom\n    at Array.map (<anonymous>)\n    at f (/p/x.js:1:2)'), 'r0').payload.error,
    ).toBe('Error: boom');
  });
});
