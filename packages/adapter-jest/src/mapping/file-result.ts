/** A finished Jest test file (onTestFileResult) → its testFileResult event. */
import type { TestFileResultEvent, TestStatus } from '@3pio/ipc';
import { failureFromError, stripAnsi } from '@3pio/ipc/adapter';
import type { TestResult } from '@jest/test-result';
import type { JestFile } from './test-file.js';

type FileResultPayload = TestFileResultEvent['payload'];

/**
 * A file can fail with every test passed: an `afterAll` that throws sets `testExecError`
 * with an empty message and puts the text in `failureMessage` only.
 */
export function fileStatus(result: TestResult): TestStatus {
  if (result.testExecError !== undefined || result.numFailingTests > 0 || (result.failureMessage ?? '') !== '') return 'FAIL';
  return result.skipped ? 'SKIP' : 'PASS';
}

/** How Jest heads the file's own error in `failureMessage`, after the blocks of its failed tests. */
const FILE_FAILURE_BLOCK = '● Test suite failed to run';

/**
 * The failure of the file itself (it did not load, a describe body or afterAll threw,
 * it has no tests). Failures of single tests are on their testCase events, not here:
 * of Jest's `failureMessage`, which has them all, only the file's own block is kept.
 */
function fileError(result: TestResult): FileResultPayload['error'] {
  const exec = result.testExecError;
  let formatted = stripAnsi(result.failureMessage ?? '').trim();
  if (exec === undefined && (formatted === '' || result.numFailingTests > 0)) return undefined;
  const ownBlock = formatted.indexOf(FILE_FAILURE_BLOCK);
  if (ownBlock > 0) formatted = formatted.slice(ownBlock);
  const message = exec?.message ? exec.message : formatted;
  return failureFromError({ message, stack: exec?.stack || formatted }, result.testFilePath);
}

export function fileResultEvent(file: JestFile, result: TestResult): TestFileResultEvent {
  const payload: FileResultPayload = { ...file.fields, status: fileStatus(result) };
  const { start, end } = result.perfStats;
  if (start > 0 && end >= start) payload.duration = end - start;
  const error = fileError(result);
  if (error !== undefined) payload.error = error;
  return { eventType: 'testFileResult', payload };
}
