/** A Mocha test and its outcome → the payload of a `testCase` event. */
import type { FailureDetails, TestStatus } from '@3pio/ipc';
import type Mocha from 'mocha';
import { failureFromError } from '@3pio/ipc/adapter';

export type TestCasePayload = {
  filePath: string;
  testName: string;
  suiteName?: string;
  ancestorTitles: string[];
  status: TestStatus;
  runnerStatus: string;
  duration?: number;
  error?: string;
  failure?: FailureDetails;
};

/** Mocha's words for a test's outcome; `pending` covers it.skip, an `it` with no function and this.skip(). */
export type MochaOutcome = 'passed' | 'failed' | 'pending';

const STATUS: Record<MochaOutcome, TestStatus> = { passed: 'PASS', failed: 'FAIL', pending: 'SKIP' };

/** Where a test sits: its title and the chain of suites above it, outermost first (the root suite has none). */
export function titlesOf(test: Mocha.Runnable): { testName: string; ancestorTitles: string[] } {
  return { testName: test.title, ancestorTitles: test.titlePath().slice(0, -1) };
}

/** The seed's `suiteName` (innermost suite) next to the titles. */
function withSuiteName(titles: { testName: string; ancestorTitles: string[] }): {
  testName: string;
  ancestorTitles: string[];
  suiteName?: string;
} {
  const suiteName = titles.ancestorTitles.at(-1);
  return suiteName === undefined ? titles : { ...titles, suiteName };
}

export function testCasePayload(filePath: string, test: Mocha.Test, outcome: MochaOutcome, error?: unknown): TestCasePayload {
  const payload: TestCasePayload = { filePath, ...withSuiteName(titlesOf(test)), status: STATUS[outcome], runnerStatus: outcome };
  if (outcome !== 'pending' && typeof test.duration === 'number') payload.duration = test.duration;
  if (outcome === 'failed') {
    payload.failure = failureFromError(error, filePath);
    payload.error = payload.failure.message;
  }
  return payload;
}

/**
 * A test Mocha never ran because a hook of its suite failed (Mocha emits nothing for
 * it): reported as failed, with the hook's error, so it is neither lost nor counted as passed.
 */
export function testBlockedByHookPayload(
  filePath: string,
  test: Mocha.Test,
  hookTitle: string,
  hookFailure: FailureDetails,
): TestCasePayload {
  const message = `Not run: ${hookTitle} failed: ${hookFailure.message}`;
  return {
    filePath,
    ...withSuiteName(titlesOf(test)),
    status: 'FAIL',
    runnerStatus: 'blocked by failed hook',
    error: message,
    failure: { ...hookFailure, message },
  };
}
