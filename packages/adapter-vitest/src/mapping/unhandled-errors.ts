import type { FailureDetails } from '@3pio/ipc';
import { failureFromError } from '@3pio/ipc/adapter';
import { relative } from 'node:path';

interface UnhandledErrorOrigin {
  VITEST_TEST_PATH?: unknown;
  VITEST_TEST_NAME?: unknown;
}

/** The test file Vitest says an unhandled error came from (it sets VITEST_TEST_PATH in the worker). */
export function testPathOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const path = (error as UnhandledErrorOrigin).VITEST_TEST_PATH;
  return typeof path === 'string' && path.length > 0 ? path : undefined;
}

/** A run-level error, saying where it came from when Vitest knows. */
export function unhandledErrorFailure(error: unknown, root: string): FailureDetails {
  const testPath = testPathOf(error);
  const details = failureFromError(error, testPath);
  if (testPath === undefined) return details;
  const testName = (error as UnhandledErrorOrigin).VITEST_TEST_NAME;
  const test = typeof testName === 'string' && testName.length > 0 ? ` (test "${testName}")` : '';
  details.message = `${details.message}\n(an unhandled error Vitest caught in ${relative(root, testPath)}${test})`;
  return details;
}
