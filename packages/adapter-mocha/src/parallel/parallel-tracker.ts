/**
 * The main process of a `--parallel` run. The workers report their files themselves
 * (worker-reporter.ts), in real time; the main process gets each file's events only
 * when the file ends, as reduced copies (§3.5), so it sends no test events of its own.
 * It keeps the workers' summaries for the run totals and reports the files that never
 * reached a worker's reporter because they failed to load.
 */
import { resolve } from 'node:path';
import type { FailureDetails } from '@3pio/ipc';
import { failureFromError, type AdapterSender } from '@3pio/ipc/adapter';
import type Mocha from 'mocha';
import type { FileSummary } from '../file-state.js';
import { FILE_SUMMARY_EVENT, type FileSummaryMessage } from './file-summary-event.js';
import { fileOfUncaughtError } from './uncaught-file.js';

export class ParallelTracker {
  private readonly reported = new Map<string, FileSummary>();
  readonly runErrors: FailureDetails[] = [];

  constructor(
    runner: Mocha.Runner,
    private readonly sender: AdapterSender,
    private readonly files: readonly string[],
    private readonly bail: boolean,
    /** Mocha's Runnable class: errors raised in this process are real Runnables, replayed worker events plain objects. */
    private readonly Runnable: typeof Mocha.Runnable,
  ) {
    runner.on(FILE_SUMMARY_EVENT, (message: FileSummaryMessage) => {
      try {
        for (const summary of message.summaries) this.reported.set(resolve(summary.filePath), summary);
      } catch {
        // Never throw into Mocha.
      }
    });
    runner.on('fail', (runnable: Mocha.Runnable, error: unknown) => {
      try {
        // The worker already reported every failure that happened inside it.
        if (runnable instanceof this.Runnable && runnable.file === undefined) this.onUncaught(error);
      } catch {
        // Never throw into Mocha.
      }
    });
  }

  private onUncaught(error: unknown): void {
    const candidates = this.files.filter((file) => !this.reported.has(file));
    const file = fileOfUncaughtError(error, candidates, this.bail);
    if (file === undefined) {
      this.runErrors.push(failureFromError(error));
      return;
    }
    const failure = failureFromError(error, file);
    this.reported.set(file, { filePath: file, status: 'FAIL', tests: 0, passed: 0, failed: 0, skipped: 0 });
    this.sender.send({ eventType: 'testFileStart', payload: { filePath: file } });
    this.sender.send({ eventType: 'testFileResult', payload: { filePath: file, status: 'FAIL', error: failure } });
  }

  summaries(): FileSummary[] {
    return [...this.reported.values()];
  }
}
