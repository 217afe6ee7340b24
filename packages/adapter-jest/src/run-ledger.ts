/**
 * What the adapter has reported so far, per file and per test, so that the run's totals
 * count every test once. Jest re-runs a file whose worker crashed (up to 3 more times)
 * and repeats its test events; the last result of a test wins.
 */
import type { RunTotals as IpcRunTotals, TestStatus } from '@3pio/ipc';
import type { JestFile } from './mapping/test-file.js';

interface FileRecord {
  readonly file: JestFile;
  /** testKey → the last status reported. */
  readonly tests: Map<string, TestStatus>;
  /** testKey → the attempts of that report. */
  readonly attempts: Map<string, number>;
  result: TestStatus | undefined;
}

/** Every count present: the adapter knows them all. */
export type RunTotals = { [K in keyof IpcRunTotals]-?: number };

export class RunLedger {
  private readonly files = new Map<string, FileRecord>();

  /** False when the file had already started. */
  startFile(file: JestFile): boolean {
    if (this.files.has(file.key)) return false;
    this.fileRecord(file);
    return true;
  }

  /**
   * Records a test's status; false when that exact verdict was already reported (a file
   * retried after a worker crash repeating itself). A verdict is the status and the
   * attempts: Jest reports a test it retries (jest.retryTimes) after each failed attempt.
   */
  recordTest(file: JestFile, key: string, status: TestStatus, attempts = 1): boolean {
    const record = this.fileRecord(file);
    if (record.tests.get(key) === status && record.attempts.get(key) === attempts) return false;
    record.tests.set(key, status);
    record.attempts.set(key, attempts);
    return true;
  }

  finishFile(file: JestFile, status: TestStatus): void {
    this.fileRecord(file).result = status;
  }

  /** Files that started but got no result (a crash, an interrupted or bailed run). */
  unfinishedFiles(): JestFile[] {
    return [...this.files.values()].filter((record) => record.result === undefined).map((record) => record.file);
  }

  get anyFileFailed(): boolean {
    return [...this.files.values()].some((record) => record.result === 'FAIL');
  }

  totals(): RunTotals {
    const totals: RunTotals = { files: 0, tests: 0, passed: 0, failed: 0, skipped: 0 };
    for (const record of this.files.values()) {
      if (record.result !== undefined) totals.files += 1;
      for (const status of record.tests.values()) {
        totals.tests += 1;
        if (status === 'PASS') totals.passed += 1;
        else if (status === 'FAIL') totals.failed += 1;
        else totals.skipped += 1;
      }
    }
    return totals;
  }

  private fileRecord(file: JestFile): FileRecord {
    let record = this.files.get(file.key);
    if (record === undefined) {
      record = { file, tests: new Map(), attempts: new Map(), result: undefined };
      this.files.set(file.key, record);
    }
    return record;
  }
}
