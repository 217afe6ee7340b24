/** A Mocha test and its outcome → a `testCase` event: its line (passed, pending), or its payload (failed). */
import type { FailureDetails, TestStatus } from '@3pio/ipc';
import type Mocha from 'mocha';
import { failureFromError, type TestCaseLines } from '@3pio/ipc/adapter';

export type TestCasePayload = {
  filePath: string;
  testName: string;
  testId?: string;
  attempts?: number;
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

export const STATUS: Record<MochaOutcome, TestStatus> = { passed: 'PASS', failed: 'FAIL', pending: 'SKIP' };

/**
 * The titles of `suite` and the suites above it, outermost first, as Mocha's
 * `titlePath()` gives them (the root suite has none). Kept per suite: Mocha rebuilds
 * the whole chain on every call, and a run asks once per test.
 */
const suiteTitles = new WeakMap<Mocha.Suite, string[]>();
export function titlesOfSuite(suite: Mocha.Suite | undefined): string[] {
  if (suite === undefined) return [];
  let titles = suiteTitles.get(suite);
  if (titles === undefined) {
    const above = titlesOfSuite(suite.parent);
    titles = suite.root ? above : [...above, suite.title];
    suiteTitles.set(suite, titles);
  }
  return titles;
}

/** Where a test sits: its title and the chain of suites above it, outermost first. Shared arrays: never mutate them. */
export function titlesOf(test: Mocha.Runnable): { testName: string; ancestorTitles: string[] } {
  return { testName: test.title, ancestorTitles: titlesOfSuite(test.parent) };
}

/** The payload without outcome details; `suiteName` is the seed's (innermost suite), `ancestorTitles` the whole chain. */
function placedPayload(filePath: string, test: Mocha.Test, status: TestStatus, runnerStatus: string): TestCasePayload {
  // Built field by field: this runs once per test, and spreading objects here was a measurable share of the adapter's cost.
  const ancestorTitles = titlesOfSuite(test.parent);
  const payload: TestCasePayload = { filePath, testName: test.title, ancestorTitles, status, runnerStatus };
  const testId = hasTwins(test.parent) ? idOf(test) : undefined;
  if (testId !== undefined) payload.testId = testId;
  const retries = retriesOf(test);
  if (retries > 0) payload.attempts = retries + 1;
  const suiteName = ancestorTitles.at(-1);
  if (suiteName !== undefined) payload.suiteName = suiteName;
  return payload;
}

/**
 * The event of a test that passed or is pending, as a line: once per test, the adapter's
 * hot path (`lines` belongs to the test's suite, see TestCaseLines).
 */
export function testCaseLine(lines: TestCaseLines, test: Mocha.Test, outcome: 'passed' | 'pending', twins: boolean): string {
  const duration = outcome === 'passed' ? test.duration : undefined;
  return lines.line(test.title, STATUS[outcome], outcome, duration, undefined, twins ? idOf(test) : undefined);
}

/** How many times Mocha retried the test (`this.retries`) before its verdict; public since Mocha 2, typed protected. */
export function retriesOf(test: Mocha.Test): number {
  return (test as unknown as { currentRetry(): number }).currentRetry();
}

/**
 * Whether the tests of `suite` need a testId: two of them share a title, or the suite
 * shares its title chain with another of its file (two `describe('in router')` side by
 * side), so that their tests share whole names. Only such tests need one (PROTOCOL.md),
 * so the common test pays nothing for it; asked once per suite.
 */
const suitesWithTwins = new WeakMap<Mocha.Suite, boolean>();
export function hasTwins(suite: Mocha.Suite | undefined): boolean {
  if (suite === undefined) return false;
  let twins = suitesWithTwins.get(suite);
  if (twins === undefined) {
    twins = new Set(suite.tests.map((test) => test.title)).size < suite.tests.length || hasTwinTitles(suite);
    suitesWithTwins.set(suite, twins);
  }
  return twins;
}

/** Whether `suite`, or a suite above it, has a sibling of the same title in the same file. */
const suitesWithTwinTitles = new WeakMap<Mocha.Suite, boolean>();
function hasTwinTitles(suite: Mocha.Suite): boolean {
  const parent = suite.parent;
  if (parent === undefined) return false;
  let twins = suitesWithTwinTitles.get(suite);
  if (twins === undefined) {
    // The root suite holds every file's top-level suites: only those of this file are siblings.
    twins =
      parent.suites.some((other) => other !== suite && other.title === suite.title && other.file === suite.file) || hasTwinTitles(parent);
    suitesWithTwinTitles.set(suite, twins);
  }
  return twins;
}

/**
 * Mocha's own id of a test (8.0 and later give every runnable one, `__mocha_id__`, which
 * its --parallel workers serialize too): it tells apart tests with the same titles.
 */
function idOf(test: Mocha.Test): string | undefined {
  const id = (test as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

export function testCasePayload(filePath: string, test: Mocha.Test, outcome: MochaOutcome, error?: unknown): TestCasePayload {
  const payload = placedPayload(filePath, test, STATUS[outcome], outcome);
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
  const payload = placedPayload(filePath, test, 'FAIL', 'blocked by failed hook');
  payload.error = message;
  payload.failure = { ...hookFailure, message };
  return payload;
}
