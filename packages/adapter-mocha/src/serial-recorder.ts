/**
 * Turns the real-time events of a serial Mocha Runner into 3pio events: in the main
 * process of a serial run, and in each worker of a parallel run (a worker runs one
 * file through an ordinary serial Runner). Mocha has no file events and runs the
 * root-level `it`s of every file before any `describe`, so file boundaries are
 * worked out from the suite tree (§3.1).
 */
import { resolve } from 'node:path';
import type { FailureDetails } from '@3pio/ipc';
import { failureFromError, guardListener, TestCaseLines, type AdapterSender, type FailureSubject } from '@3pio/ipc/adapter';
import type Mocha from 'mocha';
import { FileState, type FileSummary } from './file-state.js';
import { testsUnder } from './mapping/hook-failure.js';
import { fileOfHook, fileOfTest } from './mapping/runnable-file.js';
import { isHook, isTest } from './mapping/runnable-type.js';
import {
  STATUS,
  testBlockedByHookPayload,
  hasTwins,
  retriesOf,
  testCaseLine,
  testCasePayload,
  titlesOf,
  titlesOfSuite,
  type TestCasePayload,
} from './mapping/test-case.js';
import { captureOutput, type OutputStream } from './output-capture.js';

interface OutputOwner {
  filePath: string;
  test?: Mocha.Runnable;
}

interface HookOwner extends OutputOwner {
  hook: Mocha.Hook;
}

/** Where the events of a suite's tests go: the file, and the suite's testCase lines. */
interface TestPlace {
  key: Mocha.Suite | string;
  state: FileState;
  lines: TestCaseLines;
  /** The suite has tests of the same title: its lines carry testIds. */
  twins: boolean;
}

export class SerialRecorder {
  /** By absolute path; `byName` finds them by the name Mocha gives, without resolving it again for every event. */
  private readonly files = new Map<string, FileState>();
  private readonly byName = new Map<string, FileState>();
  /** By suite; root-level tests, whose suite is shared by every file, by file name. */
  private readonly places = new Map<Mocha.Suite | string, TestPlace>();
  private lastPlace: TestPlace | undefined;
  /** Errors that belong to no file (an uncaught error between tests, a root hook with no file). */
  readonly runErrors: FailureDetails[] = [];
  /** Who prints now: the running hook, else the running test (see runningTest). */
  private hookOwner: HookOwner | undefined;
  private lastFile: string | undefined;
  /** Depth of runner.emit calls: what is written then is a reporter's output, not the tests'. */
  private emitting = 0;
  private stopCapture: (() => void) | undefined;
  private restoreEmit: (() => void) | undefined;
  private finished = false;

  /**
   * `knownFiles`: Mocha's file list (`options.files`), which includes files that define no tests.
   * `orphanErrorsFile`: where errors that name no file go; a parallel worker runs one file, so
   * everything that goes wrong in it belongs to that file. Without it they are run-level errors.
   */
  constructor(
    private readonly runner: Mocha.Runner,
    private readonly sender: AdapterSender,
    knownFiles: readonly string[],
    private readonly orphanErrorsFile?: string,
  ) {
    for (const file of knownFiles) this.fileState(file);
    this.trackEmits();
    this.stopCapture = captureOutput(
      (stream, text) => this.onOutput(stream, text),
      () => this.emitting > 0,
    );
    this.listen();
  }

  private fileState(file: string): FileState {
    let state = this.byName.get(file);
    if (state === undefined) {
      const filePath = resolve(file);
      state = this.files.get(filePath);
      if (state === undefined) {
        state = new FileState(filePath);
        this.files.set(filePath, state);
      }
      this.byName.set(file, state);
    }
    return state;
  }

  private trackEmits(): void {
    const runner = this.runner;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the runner as `this` (apply below)
    const emit = runner.emit;
    const wrapped = (...args: Parameters<typeof emit>): boolean => {
      this.emitting += 1;
      try {
        return emit.apply(runner, args);
      } finally {
        this.emitting -= 1;
      }
    };
    runner.emit = wrapped;
    this.restoreEmit = () => {
      if (runner.emit === wrapped) runner.emit = emit;
    };
  }

  /**
   * Every listener is guarded: nothing the adapter does may throw into Mocha. The type
   * parameters let each listener name the types Mocha passes for its event.
   */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  private on<A, B>(event: string, listener: (a: A, b: B) => void): void {
    this.runner.on(event, guardListener('mocha', `the '${event}' listener`, listener, this.sender, subjectOf));
  }

  private listen(): void {
    const on = this.on.bind(this);
    on('start', () => {
      this.mapFiles();
      // Only root-level tests need their begin and end: a test in a `describe` has its file
      // started by the suite and cannot end it. Two listeners less per test, in the common case.
      if (this.runner.suite.tests.length > 0) this.listenToRootLevelTests();
    });
    on('suite', (suite: Mocha.Suite) => {
      if (suite.file !== undefined) this.startFile(this.fileState(suite.file));
    });
    on('hook', (hook: Mocha.Hook) => {
      const currentTest = hook.ctx?.currentTest;
      const eachHook = /^"(before|after) each"/.test(hook.originalTitle ?? hook.title);
      const file = fileOfHook(hook);
      if (eachHook && currentTest?.file !== undefined)
        this.hookOwner = { hook, filePath: this.fileState(currentTest.file).filePath, test: currentTest };
      else if (file !== undefined) this.hookOwner = { hook, filePath: this.fileState(file).filePath };
      if (file !== undefined) this.startFile(this.fileState(file));
    });
    on('hook end', () => (this.hookOwner = undefined));
    on('pass', (test: Mocha.Test) => this.onVerdict(test, 'passed'));
    on('pending', (test: Mocha.Test) => this.onVerdict(test, 'pending'));
    on('fail', (runnable: Mocha.Runnable, error: unknown) => {
      const file = isTest(runnable) ? fileOfTest(runnable) : undefined;
      if (isHook(runnable)) this.onHookFailure(runnable, error);
      else if (isTest(runnable) && file !== undefined) this.onTestFailure(runnable, file, error);
      else this.onOrphanError(failureFromError(error, this.orphanErrorsFile));
    });
    on('suite end', (suite: Mocha.Suite) => this.closeUnit(suite));
    on('end', () => this.finish());
  }

  private listenToRootLevelTests(): void {
    this.on('test', (test: Mocha.Test) => {
      if (test.parent?.root === true && test.file !== undefined) this.startFile(this.fileState(test.file));
    });
    this.on('test end', (test: Mocha.Test) => {
      if (test.parent?.root === true) this.closeUnit(test);
    });
  }

  /** Lists each file's top-level suites and root-level tests, whose ends mark the file's end. */
  private mapFiles(): void {
    const root = this.runner.suite;
    for (const unit of [...root.tests, ...root.suites]) {
      if (unit.file !== undefined) this.fileState(unit.file).openUnits.add(unit);
    }
  }

  private startFile(state: FileState): void {
    this.lastFile = state.filePath;
    if (!state.started) {
      state.start();
      this.sender.send({ eventType: 'testFileStart', payload: { filePath: state.filePath } });
    }
  }

  /** The place of a test that is not in the last one's suite (the tests of a suite run one after another). */
  private placeOf(test: Mocha.Test, file: string): TestPlace {
    const suite = test.parent;
    const key = suite === undefined || suite.root ? file : suite;
    if (key === this.lastPlace?.key) return this.lastPlace;
    let place = this.places.get(key);
    if (place === undefined) {
      const state = this.fileState(file);
      place = { key, state, lines: new TestCaseLines(state.filePath, titlesOfSuite(suite), this.sender.run), twins: hasTwins(suite) };
      this.places.set(key, place);
    }
    this.lastPlace = place;
    return place;
  }

  private record(state: FileState, test: Mocha.Test, payload: TestCasePayload): void {
    state.record(test, payload.status);
    this.sender.send({ eventType: 'testCase', payload });
    // A late verdict (fail after pass) for a file already closed: send its corrected result.
    if (state.finished) this.sendFileResult(state);
  }

  /**
   * A test that passed or is pending, once per test: the run's hot path, so one function
   * and a line built from its suite's (TestCaseLines), found without a lookup for most tests.
   */
  private onVerdict(test: Mocha.Test, outcome: 'passed' | 'pending'): void {
    let place = this.lastPlace;
    if (place === undefined || place.key !== test.parent) {
      // A test of the last one's suite is in its file; any other is looked up.
      const file = fileOfTest(test);
      if (file === undefined) return;
      place = this.placeOf(test, file);
    }
    const state = place.state;
    if (!state.started) this.startFile(state);
    state.record(test, STATUS[outcome]);
    // A test that passed on a retry (this.retries) says how many attempts it took: not a line the fast path writes.
    if (retriesOf(test) > 0) this.sender.send({ eventType: 'testCase', payload: testCasePayload(state.filePath, test, outcome) });
    else this.sender.sendTestCaseLine(testCaseLine(place.lines, test, outcome, place.twins));
    // A late verdict (pass after fail) for a file already closed: send its corrected result.
    if (state.finished) this.sendFileResult(state);
  }

  private onTestFailure(test: Mocha.Test, file: string, error: unknown): void {
    const state = this.fileState(file);
    this.startFile(state);
    this.record(state, test, testCasePayload(state.filePath, test, 'failed', error));
  }

  /** Mocha skips the rest of the hook's suite without a word: report those tests, and the error on the file. */
  private onHookFailure(hook: Mocha.Hook, error: unknown): void {
    const file = fileOfHook(hook);
    const failure = failureFromError(error, file === undefined ? undefined : this.fileState(file).filePath);
    if (hook.parent !== undefined) {
      for (const test of testsUnder(hook.parent)) {
        const file = fileOfTest(test);
        if (file === undefined) continue;
        const state = this.fileState(file);
        if (state.has(test)) continue;
        this.startFile(state);
        const payload = test.isPending()
          ? testCasePayload(state.filePath, test, 'pending')
          : testBlockedByHookPayload(state.filePath, test, hook.title, failure);
        this.record(state, test, payload);
        this.closeUnit(test);
      }
    }
    const hookError = { ...failure, message: `${hook.title} failed: ${failure.message}` };
    if (file === undefined) this.onOrphanError(hookError);
    else this.addFileError(this.fileState(file), hookError);
  }

  private onOrphanError(failure: FailureDetails): void {
    if (this.orphanErrorsFile === undefined) this.runErrors.push(failure);
    else this.addFileError(this.fileState(this.orphanErrorsFile), failure);
  }

  private addFileError(state: FileState, failure: FailureDetails): void {
    this.startFile(state);
    state.addError(failure);
    if (state.finished) this.sendFileResult(state);
  }

  private closeUnit(unit: Mocha.Test | Mocha.Suite): void {
    if (unit.file === undefined) return;
    const state = this.fileState(unit.file);
    if (!state.openUnits.delete(unit)) return;
    if (state.openUnits.size === 0 && state.started && !state.finished) this.finishFile(state);
  }

  private finishFile(state: FileState): void {
    if (!state.started) {
      state.start();
      this.sender.send({ eventType: 'testFileStart', payload: { filePath: state.filePath } });
    }
    state.finished = true;
    this.sendFileResult(state);
  }

  private sendFileResult(state: FileState): void {
    const error = state.error();
    this.sender.send({
      eventType: 'testFileResult',
      payload: { filePath: state.filePath, status: state.summary().status, duration: state.duration(), ...(error ? { error } : {}) },
    });
  }

  private onOutput(stream: OutputStream, text: string): void {
    if (text.length === 0) return;
    const owner = this.runningHook() ?? this.runningTest();
    const filePath = owner?.filePath ?? this.lastFile;
    // Output before any file started (root hooks from --require) cannot be attributed; it still reaches the terminal.
    if (filePath === undefined) return;
    const test = owner?.test;
    const payload = { filePath, chunk: text, ...(test === undefined ? {} : titlesOf(test)) };
    this.sender.send({ eventType: stream === 'stdout' ? 'stdoutChunk' : 'stderrChunk', payload });
  }

  /** The hook that runs now: Mocha emits no `hook end` for a hook that failed, so ask Mocha which runs. */
  private runningHook(): HookOwner | undefined {
    const owner = this.hookOwner;
    return owner !== undefined && this.runner.currentRunnable === owner.hook ? owner : undefined;
  }

  /**
   * The test that runs now, its each-hooks included: Mocha's current test until it has a
   * verdict (Mocha sets `state` just before `pass`, `fail` or `pending`). Looked up when
   * a test prints, instead of tracked with two more listeners per test.
   */
  private runningTest(): OutputOwner | undefined {
    const test = this.runner.test;
    const file = test === undefined ? undefined : fileOfTest(test);
    if (test === undefined || file === undefined || test.state !== undefined) return undefined;
    return { filePath: this.fileState(file).filePath, test };
  }

  /** Closes every file still open (Mocha's `end`), stops capturing output; idempotent. */
  finish(): FileSummary[] {
    if (!this.finished) {
      this.finished = true;
      this.stopCapture?.();
      this.restoreEmit?.();
      for (const state of this.files.values()) if (!state.finished) this.finishFile(state);
    }
    return [...this.files.values()].map((state) => state.summary());
  }
}

/** What a runner event was about, for the report of a listener that failed on it: its runnable or suite, when it has one. */
function subjectOf(about: unknown): FailureSubject | undefined {
  if (typeof about !== 'object' || about === null) return undefined;
  const { file, title, type } = about as { file?: unknown; title?: unknown; type?: unknown };
  const subject: FailureSubject = {};
  if (typeof file === 'string') subject.filePath = file;
  if (type === 'test' && typeof title === 'string') subject.testName = title;
  return subject;
}
