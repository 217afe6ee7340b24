/** One Jest test result (from onTestCaseResult or a file's testResults) → a testCase event. */
import type { TestCaseEvent } from '@3pio/ipc';
import { failureFromError, stripAnsi } from '@3pio/ipc/adapter';
import type { AssertionResult } from '@jest/test-result';
import { testStatus } from './status.js';
import type { JestFile } from './test-file.js';

type TestCasePayload = TestCaseEvent['payload'];
type FailureDetails = NonNullable<TestCasePayload['failure']>;

/** Identifies a test within its file: the suite chain and the title, which `fullName` joins ambiguously. */
export function testKey(result: Pick<AssertionResult, 'ancestorTitles' | 'title'>): string {
  return JSON.stringify([...result.ancestorTitles, result.title]);
}

/**
 * The first line of the stack in a failure's text: `at …` ending in a place (`file:1:2`,
 * `(file:1:2)`, `(native)`, `(<anonymous>)`). Not any indented line that starts with
 * "at": a message may say "  at least 3 retries failed".
 */
const STACK_FRAME = /^\s+at .*(?::\d+:\d+\)?|\((?:native|<anonymous>)\))$/m;

/**
 * Jest hands over failures as formatted text (`failureMessages`: message, diff, stack),
 * because Error objects lose their message and stack crossing from a worker. The
 * matcher's raw expected/actual survive in `failureDetails[].matcherResult`.
 */
function failureOf(result: AssertionResult, filePath: string): FailureDetails | undefined {
  if (result.failureMessages.length === 0) return undefined;
  const text = stripAnsi(result.failureMessages.join('\n\n'));
  const frame = STACK_FRAME.exec(text);
  const message = (frame === null ? text : text.slice(0, frame.index)).trimEnd();
  const error: { message: string; stack: string; expected?: unknown; actual?: unknown } = { message, stack: text };
  const matcher = result.failureDetails
    .map((detail) => (detail as { matcherResult?: { expected?: unknown; actual?: unknown } } | null)?.matcherResult)
    .find((matcherResult) => matcherResult !== undefined);
  if (matcher !== undefined) {
    if ('expected' in matcher) error.expected = matcher.expected;
    if ('actual' in matcher) error.actual = matcher.actual;
  }
  return failureFromError(error, filePath);
}

/** How many times Jest ran the test: more than once when it retried it (jest.retryTimes), the result being the last attempt's. */
export function attemptsOf(result: Pick<AssertionResult, 'invocations'>): number {
  return typeof result.invocations === 'number' ? result.invocations : 1;
}

export function testCaseEvent(file: JestFile, result: AssertionResult, testId: string): TestCaseEvent {
  const payload: TestCasePayload = {
    ...file.fields,
    testName: result.title,
    testId,
    ancestorTitles: [...result.ancestorTitles],
    status: testStatus(result.status),
    runnerStatus: result.status,
  };
  const suiteName = result.ancestorTitles.at(-1);
  if (suiteName !== undefined) payload.suiteName = suiteName;
  if (typeof result.duration === 'number') payload.duration = result.duration;
  const attempts = attemptsOf(result);
  if (attempts > 1) payload.attempts = attempts;
  const failure = result.status === 'failed' ? failureOf(result, file.fields.filePath) : undefined;
  if (failure !== undefined) {
    payload.error = failure.message;
    payload.failure = failure;
  }
  return { eventType: 'testCase', payload };
}
