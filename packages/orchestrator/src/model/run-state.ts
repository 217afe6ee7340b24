/**
 * The session as the events describe it so far: the runs (one per runner process that
 * started, or more: Vitest's reruns), every test file of each run, its tests (the last
 * result for a test wins, so a re-run never counts twice) and its output. Reports and
 * console lines are rendered from this, never from raw events.
 */
import { resolve } from 'node:path';
import type { FailureDetails, IpcEvent, RunCompleteEvent, RunStartEvent, TestStatus } from '@3pio/ipc';
import { OutputLog } from './output-log.js';

export type FileStatus = TestStatus | 'RUNNING' | 'INCOMPLETE';

export interface TestRecord {
  name: string;
  ancestorTitles: string[];
  /** Tells apart same-named tests of the file (PROTOCOL.md); absent in older events. */
  testId?: string;
  status: TestStatus;
  runnerStatus?: string;
  duration?: number;
  /** How many times the runner ran it, when more than once (retries). */
  attempts?: number;
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

  constructor(
    readonly filePath: string,
    /** The run that ran it: the same test file run twice (unit then integration runs) is two records. */
    readonly run: RunRecord,
    /** The project of the run that ran it, when the run has several (PROTOCOL.md): each project's run of a file is a record. */
    readonly project: string | undefined,
    /** 0 for the first record of this path (case aside) in the session, 1 for the next one's, …: the report path tells them apart. */
    readonly variant: number,
  ) {}

  get testCount(): number {
    return this.tests.size;
  }

  setTest(test: TestRecord): void {
    // Same-named tests with their own testIds are tests of their own; without one, the last verdict of the name stands.
    const key = JSON.stringify([...test.ancestorTitles, test.name, test.testId ?? null]);
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

/** One run of a runner: what it said of itself when it started and when it completed. */
export class RunRecord {
  start: RunStartEvent['payload'] | undefined;
  complete: RunCompleteEvent['payload'] | undefined;
  /** How many times the run's adapter said it failed (adapterError): results of the run may be missing. */
  adapterErrors = 0;
  readonly files: FileRecord[] = [];
  /** Results received per test file (absolute path), counted per event: a file that two projects ran counts twice, as in `runStart.totalFiles`. */
  private readonly resultsByPath = new Map<string, number>();

  constructor(
    /** The run ID its events carry (PROTOCOL.md, "Runs"); for events written before runs had one, a made-up `legacy-<n>`. */
    readonly id: string,
    /** 1 for the first run of the session, 2 for the next… */
    readonly index: number,
  ) {}

  get runner(): string | undefined {
    return this.start?.runner ?? this.complete?.runner;
  }

  /** The directory the run's relative paths are relative to. */
  root(fallback: string): string {
    return this.start?.root ?? this.start?.cwd ?? fallback;
  }

  /** Results of the run 3pio's adapter could not send: the hooks that failed and the events it could not write. */
  get missingResults(): { adapterErrors: number; lostEvents: number } {
    return { adapterErrors: this.adapterErrors, lostEvents: this.complete?.lostEvents ?? 0 };
  }

  /** Never said it completed: the runner process died, or the session ended first. */
  get unfinished(): boolean {
    return this.complete === undefined;
  }

  /** A result came for the test file at `filePath`. */
  resultFor(filePath: string): void {
    this.resultsByPath.set(filePath, (this.resultsByPath.get(filePath) ?? 0) + 1);
  }

  /** How many results came for test files. */
  get fileResults(): number {
    let count = 0;
    for (const results of this.resultsByPath.values()) count += results;
    return count;
  }

  /** Test files the run announced and never gave a result for (0 when it announced no count). */
  get filesNeverRun(): number {
    return Math.max(0, (this.start?.totalFiles ?? 0) - this.fileResults);
  }

  /** The absolute paths of those files, where the run announced its files by name (Vitest, Mocha). */
  namesNeverRun(fallbackRoot: string): string[] {
    const results = new Map(this.resultsByPath);
    const never: string[] = [];
    for (const announced of this.start?.testFiles ?? []) {
      const path = resolve(this.root(fallbackRoot), announced);
      const left = results.get(path) ?? 0;
      if (left > 0) results.set(path, left - 1);
      else never.push(path);
    }
    return never;
  }

  totals(): { files: Record<FileStatus, number>; tests: Counts } {
    return totalsOf(this.files);
  }
}

function totalsOf(files: Iterable<FileRecord>): { files: Record<FileStatus, number>; tests: Counts } {
  const byStatus: Record<FileStatus, number> = { PASS: 0, FAIL: 0, SKIP: 0, RUNNING: 0, INCOMPLETE: 0 };
  const tests = emptyCounts();
  for (const file of files) {
    byStatus[file.status] += 1;
    tests.passed += file.counts.passed;
    tests.failed += file.counts.failed;
    tests.skipped += file.counts.skipped;
  }
  return { files: byStatus, tests };
}

export class RunState {
  /** By run, project and absolute path: `src/a.test.js` and `/project/src/a.test.js` of one run and project are one file. */
  readonly files = new Map<string, FileRecord>();
  /** By run ID, in the order they appeared. */
  readonly runs = new Map<string, RunRecord>();
  readonly runErrors: FailureDetails[] = [];
  /** Events of types this version does not know, or too broken to use. */
  unknownEvents = 0;
  /** The runs that reported each absolute path. */
  private readonly pathRuns = new Map<string, Set<RunRecord>>();
  /** How many records share each report place: a path as a case-insensitive disk sees it. */
  private readonly placeRecords = new Map<string, number>();
  /** Where events without a run ID go: the run of the last runStart without one (they never ran side by side). */
  private legacyRun = 'legacy-0';

  /** `projectRoot`: where 3pio was started; it anchors relative paths of a run that gave no root. */
  constructor(readonly projectRoot: string) {}

  /** Applies one event; returns the file it changed, if any. */
  apply(event: IpcEvent): FileRecord | undefined {
    switch (event.eventType) {
      case 'testFileStart': {
        const file = this.file(event.run, event.payload);
        file.startedAt ??= event.timestamp;
        return file;
      }
      case 'testCase': {
        const { testName, testId, ancestorTitles, suiteName, status, runnerStatus, duration, attempts, failure, error } = event.payload;
        const file = this.file(event.run, event.payload);
        const test: TestRecord = { name: testName, ancestorTitles: ancestorTitles ?? (suiteName === undefined ? [] : [suiteName]), status };
        if (testId !== undefined) test.testId = testId;
        if (runnerStatus !== undefined) test.runnerStatus = runnerStatus;
        if (duration !== undefined) test.duration = duration;
        if (attempts !== undefined) test.attempts = attempts;
        const details = failure ?? (error === undefined ? undefined : { message: error });
        if (details !== undefined) test.failure = details;
        file.setTest(test);
        return file;
      }
      case 'testFileResult': {
        const file = this.file(event.run, event.payload);
        file.finish(event.payload.status, event.payload.error, event.payload.duration);
        file.run.resultFor(file.filePath);
        return file;
      }
      case 'stdoutChunk':
      case 'stderrChunk': {
        const file = this.file(event.run, event.payload);
        const stream = event.eventType === 'stdoutChunk' ? 'stdout' : 'stderr';
        file.output.append(stream, event.payload.chunk, event.payload.testName);
        return file;
      }
      case 'runStart': {
        if (event.run === undefined) this.legacyRun = `legacy-${this.runs.size + 1}`;
        this.run(event.run).start = event.payload;
        return undefined;
      }
      case 'runComplete': {
        this.run(event.run).complete = event.payload;
        for (const error of event.payload.errors ?? []) this.runErrors.push(error);
        return undefined;
      }
      case 'adapterError':
        this.run(event.run).adapterErrors += 1;
        return undefined;
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

  /** The first record of the test file at `filePath` (absolute), of run `runId` and project `project` when given. */
  fileAt(filePath: string, runId?: string, project?: string): FileRecord | undefined {
    for (const file of this.files.values()) {
      if (file.filePath === filePath && (runId ?? file.run.id) === file.run.id && (project ?? file.project) === file.project) return file;
    }
    return undefined;
  }

  /** The run an event belongs to (made if it is new). */
  runOf(event: IpcEvent): RunRecord {
    return this.run(event.run);
  }

  /** How many runs have reported the test file at `filePath` (absolute). */
  runsOfPath(filePath: string): number {
    return this.pathRuns.get(filePath)?.size ?? 0;
  }

  /** Runs that never said they completed. */
  get unfinishedRuns(): RunRecord[] {
    return [...this.runs.values()].filter((run) => run.unfinished);
  }

  totals(): { files: Record<FileStatus, number>; tests: Counts } {
    return totalsOf(this.files.values());
  }

  /** The record of a run, made when its first event comes. */
  private run(id: string | undefined): RunRecord {
    const key = id ?? this.legacyRun;
    let run = this.runs.get(key);
    if (run === undefined) {
      run = new RunRecord(key, this.runs.size + 1);
      this.runs.set(key, run);
    }
    return run;
  }

  private file(runId: string | undefined, reported: { filePath: string; project?: string | undefined }): FileRecord {
    const run = this.run(runId);
    const filePath = resolve(run.root(this.projectRoot), reported.filePath);
    const key = JSON.stringify([run.id, reported.project ?? null, filePath]);
    let file = this.files.get(key);
    if (file === undefined) {
      const runs = this.pathRuns.get(filePath) ?? new Set();
      this.pathRuns.set(filePath, runs.add(run));
      // Counted per path as a case-insensitive disk sees it, so that `A.test.js` and `a.test.js` get reports of their own there too.
      const place = filePath.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
      const variant = this.placeRecords.get(place) ?? 0;
      this.placeRecords.set(place, variant + 1);
      file = new FileRecord(filePath, run, reported.project, variant);
      this.files.set(key, file);
      run.files.push(file);
    }
    return file;
  }
}
