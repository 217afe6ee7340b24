/**
 * The run as the events describe it so far: every test file, its tests (the last
 * result for a test wins, so a re-run never counts twice), its output, and the runner
 * processes. Reports and console lines are rendered from this, never from raw events.
 */
import { resolve } from 'node:path';
import type { FailureDetails, IpcEvent, RunCompleteEvent, RunStartEvent, TestStatus } from '@3pio/ipc';
import { OutputLog } from './output-log.js';

export type FileStatus = TestStatus | 'RUNNING' | 'INCOMPLETE';

export interface TestRecord {
  name: string;
  ancestorTitles: string[];
  status: TestStatus;
  runnerStatus?: string;
  duration?: number;
  failure?: FailureDetails;
}

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const emptyCounts = (): Counts => ({ passed: 0, failed: 0, skipped: 0 });
const countKey = { PASS: 'passed', FAIL: 'failed', SKIP: 'skipped' } as const;

export class FileRecord {
  status: FileStatus = 'RUNNING';
  readonly tests = new Map<string, TestRecord>();
  readonly counts: Counts = emptyCounts();
  readonly output = new OutputLog();
  /** What the runner said of the file as a whole; its result status before tests are weighed in. */
  reportedStatus: TestStatus | undefined;
  error: FailureDetails | undefined;
  duration: number | undefined;
  startedAt: number | undefined;
  /** Why the file never finished, set when the run ended without its result. */
  incompleteReason: string | undefined;

  constructor(readonly filePath: string) {}

  get testCount(): number {
    return this.tests.size;
  }

  setTest(test: TestRecord): void {
    const key = JSON.stringify([...test.ancestorTitles, test.name]);
    const previous = this.tests.get(key);
    if (previous !== undefined) this.counts[countKey[previous.status]] -= 1;
    this.counts[countKey[test.status]] += 1;
    this.tests.set(key, test);
    if (this.status !== 'RUNNING' && this.status !== 'INCOMPLETE') this.status = this.settledStatus();
  }

  finish(status: TestStatus, error: FailureDetails | undefined, duration: number | undefined): void {
    this.reportedStatus = status;
    if (error !== undefined) this.error = error;
    if (duration !== undefined) this.duration = duration;
    this.incompleteReason = undefined;
    this.status = this.settledStatus();
  }

  markIncomplete(reason: string): void {
    if (this.status !== 'RUNNING') return;
    this.status = 'INCOMPLETE';
    this.incompleteReason = reason;
  }

  /** A failing test or a file error fails the file, whatever the runner's own verdict said. */
  private settledStatus(): TestStatus {
    if (this.reportedStatus === 'FAIL' || this.counts.failed > 0 || this.error !== undefined) return 'FAIL';
    if (this.counts.passed > 0) return 'PASS';
    return this.reportedStatus ?? 'SKIP';
  }
}

export interface RunnerRecord {
  pid: number | undefined;
  start: RunStartEvent['payload'] | undefined;
  complete: RunCompleteEvent['payload'] | undefined;
}

export class RunState {
  /** By absolute path: `src/a.test.js` and `/project/src/a.test.js` are one file. */
  readonly files = new Map<string, FileRecord>();
  readonly runners: RunnerRecord[] = [];
  readonly runErrors: FailureDetails[] = [];
  /** Events of types this version does not know, or too broken to use. */
  unknownEvents = 0;

  /** `projectRoot` anchors the relative file paths some runners report. */
  constructor(readonly projectRoot: string) {}

  /** Applies one event; returns the file it changed, if any. */
  apply(event: IpcEvent): FileRecord | undefined {
    switch (event.eventType) {
      case 'testFileStart': {
        const file = this.file(event.payload.filePath);
        file.startedAt ??= event.timestamp;
        return file;
      }
      case 'testCase': {
        const { filePath, testName, ancestorTitles, suiteName, status, runnerStatus, duration, failure, error } = event.payload;
        const file = this.file(filePath);
        const test: TestRecord = { name: testName, ancestorTitles: ancestorTitles ?? (suiteName === undefined ? [] : [suiteName]), status };
        if (runnerStatus !== undefined) test.runnerStatus = runnerStatus;
        if (duration !== undefined) test.duration = duration;
        const details = failure ?? (error === undefined ? undefined : { message: error });
        if (details !== undefined) test.failure = details;
        file.setTest(test);
        return file;
      }
      case 'testFileResult': {
        const file = this.file(event.payload.filePath);
        file.finish(event.payload.status, event.payload.error, event.payload.duration);
        return file;
      }
      case 'stdoutChunk':
      case 'stderrChunk': {
        const file = this.file(event.payload.filePath);
        const stream = event.eventType === 'stdoutChunk' ? 'stdout' : 'stderr';
        file.output.append(stream, event.payload.chunk, event.payload.testName);
        return file;
      }
      case 'runStart':
        this.runners.push({ pid: event.payload.pid, start: event.payload, complete: undefined });
        return undefined;
      case 'runComplete': {
        const { pid } = event.payload;
        const runner = this.runners.find((candidate) => candidate.pid === pid && candidate.complete === undefined);
        if (runner !== undefined) runner.complete = event.payload;
        else this.runners.push({ pid, start: undefined, complete: event.payload });
        if (event.payload.errors !== undefined) this.runErrors.push(...event.payload.errors);
        return undefined;
      }
      case 'unknown':
        this.unknownEvents += 1;
        return undefined;
    }
  }

  /** The run is over: every file still running never finished, for `reason`. */
  finalize(reason: string): FileRecord[] {
    const unfinished: FileRecord[] = [];
    for (const file of this.files.values()) {
      if (file.status !== 'RUNNING') continue;
      file.markIncomplete(reason);
      unfinished.push(file);
    }
    return unfinished;
  }

  /** Runner processes that announced themselves and never said they completed. */
  get unfinishedRunners(): RunnerRecord[] {
    return this.runners.filter((runner) => runner.start !== undefined && runner.complete === undefined);
  }

  totals(): { files: Record<FileStatus, number>; tests: Counts } {
    const files: Record<FileStatus, number> = { PASS: 0, FAIL: 0, SKIP: 0, RUNNING: 0, INCOMPLETE: 0 };
    const tests = emptyCounts();
    for (const file of this.files.values()) {
      files[file.status] += 1;
      tests.passed += file.counts.passed;
      tests.failed += file.counts.failed;
      tests.skipped += file.counts.skipped;
    }
    return { files, tests };
  }

  private file(reported: string): FileRecord {
    const filePath = resolve(this.projectRoot, reported);
    let file = this.files.get(filePath);
    if (file === undefined) {
      file = new FileRecord(filePath);
      this.files.set(filePath, file);
    }
    return file;
  }
}
