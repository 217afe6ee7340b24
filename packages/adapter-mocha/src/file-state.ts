/** What the adapter knows about one test file while it runs, and its verdict. */
import type { FailureDetails, TestStatus } from '@3pio/ipc';

export interface FileSummary {
  filePath: string;
  status: TestStatus;
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
}

export class FileState {
  started = false;
  finished = false;
  private startedAt = 0;
  /** Each test's status; the last wins: Mocha can report `fail` after `pass` for the same test. */
  readonly statuses = new Map<object, TestStatus>();
  readonly errors: FailureDetails[] = [];
  /** Top-level suites and root-level tests of this file that have not ended yet. */
  readonly openUnits = new Set<object>();

  constructor(readonly filePath: string) {}

  start(): void {
    this.started = true;
    this.startedAt = Date.now();
  }

  duration(): number {
    return this.started ? Date.now() - this.startedAt : 0;
  }

  /** A file with no tests at all is SKIP: Mocha itself does not fail it. */
  summary(): FileSummary {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const status of this.statuses.values()) {
      if (status === 'PASS') passed += 1;
      else if (status === 'FAIL') failed += 1;
      else skipped += 1;
    }
    const status: TestStatus = failed > 0 || this.errors.length > 0 ? 'FAIL' : passed > 0 ? 'PASS' : 'SKIP';
    return { filePath: this.filePath, status, tests: this.statuses.size, passed, failed, skipped };
  }

  /** One error for the file result: the first in full, with the messages of any others. */
  error(): FailureDetails | undefined {
    const [first, ...rest] = this.errors;
    if (first === undefined || rest.length === 0) return first;
    return { ...first, message: [first, ...rest].map((e) => e.message).join('\n\n') };
  }
}
