import type { TestStatus } from '@3pio/ipc';

/**
 * Jest's word for a test's outcome → 3pio's. `pending` is a skip (`it.skip`,
 * `describe.skip`, filtered by `-t` or `.only`); `todo`, and `disabled` from jasmine2,
 * did not run either.
 */
export function testStatus(runnerStatus: string): TestStatus {
  if (runnerStatus === 'passed') return 'PASS';
  if (runnerStatus === 'failed') return 'FAIL';
  return 'SKIP';
}
