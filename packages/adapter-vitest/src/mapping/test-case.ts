import type { FailureDetails, TestCaseEvent, TestStatus } from '@3pio/ipc';
import type { TestCase, TestModule, TestSuite } from 'vitest/node';
import { failureFromErrors } from './failures.js';
import { moduleFile } from './module-file.js';
import { suiteChain } from './suite-chain.js';

type TestCasePayload = TestCaseEvent['payload'];

/**
 * A test Vitest skipped although it was meant to run: either it skipped itself
 * (`ctx.skip()`) or a `beforeAll` of its suite or file threw, in which case Vitest reports
 * it `skipped` and keeps the error on the suite (vitest#4820). Which of the two is known
 * only once the suites have their results, at the end of the file.
 */
export function isSkippedAtRunTime(testCase: TestCase): boolean {
  const mode = testCase.options.mode;
  return testCase.result().state === 'skipped' && mode !== 'skip' && mode !== 'todo';
}

/**
 * Why a test skipped at run time did not run: the errors of its nearest enclosing suite
 * (or file) that failed. Undefined when it skipped itself.
 */
export function hookFailureOf(testCase: TestCase): FailureDetails | undefined {
  const filePath = testCase.module.moduleId;
  for (let parent: TestSuite | TestModule = testCase.parent; ; parent = parent.parent) {
    const failure = failureFromErrors(
      parent.errors().map((error) => ({ error })),
      filePath,
    );
    if (failure !== undefined) {
      const where = parent.type === 'suite' ? `describe "${[...suiteChain(parent), parent.name].join(' > ')}"` : 'this file';
      failure.message = `Not run: a hook of ${where} failed: ${failure.message}`;
      return failure;
    }
    if (parent.type === 'module') return undefined;
  }
}

/** The runner's own word for a skipped test: `todo`, or `skipped` (with its note, if any). */
function skippedWord(testCase: TestCase): string {
  return testCase.options.mode === 'todo' ? 'todo' : 'skipped';
}

/**
 * The testCase payload of a finished test. `hookFailure` turns a test that a failing hook
 * kept from running into the FAIL it is.
 */
export function testCasePayload(testCase: TestCase, hookFailure?: FailureDetails): TestCasePayload {
  const ancestorTitles = suiteChain(testCase);
  const result = testCase.result();
  let status: TestStatus;
  let failure: FailureDetails | undefined;
  let runnerStatus: string;
  if (result.state === 'passed') {
    status = 'PASS';
    runnerStatus = 'passed';
  } else if (result.state === 'failed') {
    status = 'FAIL';
    runnerStatus = 'failed';
    failure = failureFromErrors(
      result.errors.map((error) => ({ error })),
      testCase.module.moduleId,
    );
  } else {
    // `pending` never reaches onTestCaseResult; a test still pending at the end is not sent.
    status = hookFailure === undefined ? 'SKIP' : 'FAIL';
    runnerStatus = skippedWord(testCase);
    failure = hookFailure;
  }
  // Vitest's own id: unique per test, project and file, so same-named tests stay apart.
  const payload: TestCasePayload = {
    ...moduleFile(testCase.module),
    testName: testCase.name,
    testId: testCase.id,
    ancestorTitles,
    status,
    runnerStatus,
  };
  const suiteName = ancestorTitles.at(-1);
  if (suiteName !== undefined) payload.suiteName = suiteName;
  // `retry`: Vitest reports the last attempt; retryCount is how many came before it.
  const retries = testCase.diagnostic()?.retryCount ?? 0;
  if (retries > 0) payload.attempts = retries + 1;
  const duration = testCase.diagnostic()?.duration;
  if (duration !== undefined) payload.duration = duration;
  if (failure !== undefined) {
    payload.failure = failure;
    payload.error = failure.message;
  }
  return payload;
}
