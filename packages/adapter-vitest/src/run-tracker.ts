/**
 * What the reporter has to remember during one run: the files it announced and closed,
 * the tests held back until their file ends, and the last status of every test (for the
 * totals: a test reported twice counts once, with its last status).
 */
import type { RunTotals as IpcRunTotals, TestStatus } from '@3pio/ipc';
import type { TestCase, TestModule } from 'vitest/node';

/** Every count present: the adapter knows them all. */
export type RunTotals = { [K in keyof IpcRunTotals]-?: number };

export interface FileRecord {
  module: TestModule;
  /** Tests skipped at run time: sent when the file ends, once the suites' hook errors are known. */
  readonly skippedAtRunTime: TestCase[];
  anyTestFailed: boolean;
  /** Unhandled errors already put into this file's result. */
  readonly unhandledErrors: unknown[];
  /** The status of the testFileResult sent last; undefined while the file runs. */
  result: TestStatus | undefined;
}

export class RunTracker {
  readonly startedAt = Date.now();
  /** Keyed by the module's task id, which is unique per project and file. */
  private readonly files = new Map<string, FileRecord>();
  private readonly testStatuses = new Map<string, TestStatus>();

  /** The record of `testModule`, and whether this call created it (the file just started). */
  file(testModule: TestModule): { record: FileRecord; created: boolean } {
    const existing = this.files.get(testModule.id);
    if (existing !== undefined) {
      // Vitest may hand out a new TestModule object for the same task; keep the latest.
      existing.module = testModule;
      return { record: existing, created: false };
    }
    const record: FileRecord = { module: testModule, skippedAtRunTime: [], anyTestFailed: false, unhandledErrors: [], result: undefined };
    this.files.set(testModule.id, record);
    return { record, created: true };
  }

  fileByPath(filePath: string): FileRecord | undefined {
    for (const record of this.files.values()) if (record.module.moduleId === filePath) return record;
    return undefined;
  }

  allFiles(): IterableIterator<FileRecord> {
    return this.files.values();
  }

  /** Whether a result of this test was sent. */
  hasTest(testCase: TestCase): boolean {
    return this.testStatuses.has(testCase.id);
  }

  recordTest(testCase: TestCase, status: TestStatus): void {
    this.testStatuses.set(testCase.id, status);
  }

  totals(): RunTotals {
    const totals: RunTotals = { files: this.files.size, tests: this.testStatuses.size, passed: 0, failed: 0, skipped: 0 };
    for (const status of this.testStatuses.values()) {
      if (status === 'PASS') totals.passed += 1;
      else if (status === 'FAIL') totals.failed += 1;
      else totals.skipped += 1;
    }
    return totals;
  }
}
