/** What the adapter knows about one test file while it runs, and its verdict. */
import type { FailureDetails, TestStatus } from '@3pio/ipc';
import { now } from '@3pio/ipc/adapter';

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
  /**
   * The tests that passed: most of a run's tests, kept without hashing them (a Map keyed
   * by each test cost a measurable share of the adapter's time per test).
   */
  private readonly passes: object[] = [];
  /** Every other verdict; the last wins: Mocha can report `fail` after `pass` for the same test. */
  private readonly verdicts = new Map<object, TestStatus>();
  private readonly errors: FailureDetails[] = [];
  /** Top-level suites and root-level tests of this file that have not ended yet. */
  readonly openUnits = new Set<object>();
  /** The summary as of the last change: asked for at the file's end and again at the run's. */
  private summarized: FileSummary | undefined;

  constructor(readonly filePath: string) {}

  start(): void {
    this.started = true;
    this.startedAt = now();
  }

  duration(): number {
    return this.started ? now() - this.startedAt : 0;
  }

  record(test: object, status: TestStatus): void {
    this.summarized = undefined;
    // A pass after another verdict replaces it (through the Map); else it is appended, without hashing the test.
    if (status === 'PASS' && (this.verdicts.size === 0 || !this.verdicts.has(test))) this.passes.push(test);
    else this.verdicts.set(test, status);
  }

  /** An error of the file itself (a hook, a load error), not of one of its tests. */
  addError(failure: FailureDetails): void {
    this.summarized = undefined;
    this.errors.push(failure);
  }

  /** Whether the test has a verdict already. */
  has(test: object): boolean {
    return this.verdicts.has(test) || this.passes.includes(test);
  }

  /** A file with no tests at all is SKIP: Mocha itself does not fail it. */
  summary(): FileSummary {
    this.summarized ??= this.count();
    return this.summarized;
  }

  private count(): FileSummary {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    // A Set, once per file: a test counts once even if Mocha ever reported it passed twice.
    for (const test of new Set(this.passes)) if (!this.verdicts.has(test)) passed += 1;
    for (const status of this.verdicts.values()) {
      if (status === 'PASS') passed += 1;
      else if (status === 'FAIL') failed += 1;
      else skipped += 1;
    }
    const status: TestStatus = failed > 0 || this.errors.length > 0 ? 'FAIL' : passed > 0 ? 'PASS' : 'SKIP';
    return { filePath: this.filePath, status, tests: passed + failed + skipped, passed, failed, skipped };
  }

  /** One error for the file result: the first in full, with the messages of any others. */
  error(): FailureDetails | undefined {
    const [first, ...rest] = this.errors;
    if (first === undefined || rest.length === 0) return first;
    return { ...first, message: [first, ...rest].map((e) => e.message).join('\n\n') };
  }
}
