import type { TestFileResultEvent, TestStatus } from '@3pio/ipc';
import type { TestModule } from 'vitest/node';
import { failureFromErrors, moduleErrors, type LocatedError } from './failures.js';
import { moduleFile } from './module-file.js';

type TestFileResultPayload = TestFileResultEvent['payload'];

export interface FileOutcome {
  /** A testCase of this file was sent as FAIL (including tests a failing hook kept from running). */
  anyTestFailed: boolean;
  /** Unhandled errors Vitest attributed to this file (VITEST_TEST_PATH). */
  unhandledErrors: readonly unknown[];
  /** The run ended interrupted (--bail, a cancel): a file still waiting was stopped, not broken. */
  runInterrupted?: boolean;
}

/**
 * The testFileResult of a module, at its end or, when Vitest never ended it (a file that
 * failed to import before 4.0.17, a killed worker), at the end of the run.
 */
export function fileResultPayload(testModule: TestModule, outcome: FileOutcome): TestFileResultPayload {
  const filePath = testModule.moduleId;
  const state = testModule.state();
  const errors: LocatedError[] = [
    ...moduleErrors(testModule),
    ...outcome.unhandledErrors.map((error) => ({ error, where: 'an unhandled error of this file' })),
  ];
  const unfinished = state === 'pending' || state === 'queued';
  if (unfinished && errors.length === 0 && outcome.runInterrupted === true && !outcome.anyTestFailed) {
    const message = 'Not run to its end: the run was stopped first (--bail, or cancelled).';
    const payload: TestFileResultPayload = { ...moduleFile(testModule), status: 'SKIP', error: { message } };
    return payload;
  }
  if (errors.length === 0 && unfinished) {
    // A plain message: a stack would point into the adapter, not at anything of the user's.
    errors.push({
      error: { message: `Vitest never finished this file (its state was still "${state}" at the end of the run; was its worker killed?).` },
    });
  }
  const failed = state === 'failed' || unfinished || outcome.anyTestFailed || errors.length > 0;
  const status: TestStatus = failed ? 'FAIL' : state === 'skipped' ? 'SKIP' : 'PASS';
  const payload: TestFileResultPayload = { ...moduleFile(testModule), status };
  const duration = testModule.diagnostic().duration;
  if (duration > 0) payload.duration = duration;
  const error = failureFromErrors(errors, filePath);
  if (error !== undefined) payload.error = error;
  return payload;
}
