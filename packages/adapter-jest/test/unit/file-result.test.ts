import type { TestResult } from '@jest/test-result';
import { describe, expect, it } from 'vitest';
import { fileResultEvent } from '../../src/mapping/file-result.js';

const FILE = '/p/tests/a.test.js';
const JEST_FILE = { fields: { filePath: FILE }, key: FILE };
const TEST_BLOCK = `  ● outer › t2\n\n    expect(received).toBe(expected)\n\n      at Object.<anonymous> (${FILE}:3:32)`;
const FILE_BLOCK = `  ● Test suite failed to run\n\n    inner afterAll boom\n\n      at Object.<anonymous> (${FILE}:2:52)`;

function fileResult(failureMessage: string, numFailingTests: number): TestResult {
  return {
    testFilePath: FILE,
    failureMessage,
    numFailingTests,
    testExecError: { message: '', stack: '' },
    perfStats: { start: 1, end: 2 },
    skipped: false,
    testResults: [],
  } as unknown as TestResult;
}

describe('fileResultEvent', () => {
  it("keeps only the file's own error when its tests failed too (an afterAll that threw)", () => {
    const { payload } = fileResultEvent(JEST_FILE, fileResult(`${TEST_BLOCK}\n\n\n${FILE_BLOCK}\n`, 1));
    expect(payload.status).toBe('FAIL');
    expect(payload.error?.message).toBe(FILE_BLOCK.trim());
    expect(payload.error?.message).not.toContain('outer › t2');
    expect(payload.error?.location).toEqual({ file: FILE, line: 2, column: 52 });
  });

  it('keeps the whole text when there is no block of its own', () => {
    const { payload } = fileResultEvent(JEST_FILE, fileResult('  ● something else\n\n    went wrong', 0));
    expect(payload.error?.message).toBe('● something else\n\n    went wrong');
  });
});
