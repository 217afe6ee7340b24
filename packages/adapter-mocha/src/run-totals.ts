/** The `runComplete` payload from the files' summaries. */
import type { FailureDetails, RunCompleteEvent } from '@3pio/ipc';
import type { FileSummary } from './file-state.js';

export function runCompletePayload(
  summaries: readonly FileSummary[],
  errors: readonly FailureDetails[],
  mochaFailures: number,
  duration: number,
): RunCompleteEvent['payload'] {
  const totals = { files: summaries.length, tests: 0, passed: 0, failed: 0, skipped: 0 };
  for (const summary of summaries) {
    totals.tests += summary.tests;
    totals.passed += summary.passed;
    totals.failed += summary.failed;
    totals.skipped += summary.skipped;
  }
  // Mocha's own failure count includes hook failures: it decides the exit code, so it decides FAIL too.
  const failed = mochaFailures > 0 || errors.length > 0 || summaries.some((summary) => summary.status === 'FAIL');
  return {
    runner: 'mocha',
    pid: process.pid,
    status: failed ? 'FAIL' : 'PASS',
    duration,
    totals,
    ...(errors.length > 0 ? { errors: [...errors] } : {}),
  };
}
