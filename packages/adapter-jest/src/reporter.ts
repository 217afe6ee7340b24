/**
 * The Jest reporter: turns Jest's reporter hooks (all called in Jest's main process,
 * whatever the number of workers) into @3pio/ipc events.
 *
 *   onRunStart       → runStart
 *   onTestFileStart  → testFileStart
 *   onTestCaseResult → testCase, as each test finishes
 *   onTestFileResult → testCase for the tests Jest never reports one by one (skip, todo),
 *                      stdoutChunk/stderrChunk from the file's console buffer, testFileResult
 *   onRunComplete    → testFileResult for files that never finished, runComplete
 *
 * Every hook is synchronous: Jest does not await onTestCaseStart/onTestCaseResult, and
 * each event is one synchronous write, so nothing is lost when Jest exits right after
 * onRunComplete (--bail) or a test calls process.exit in-band.
 */
import type { RunCompleteEvent } from '@3pio/ipc';
import {
  adapterRole,
  type FailureSubject,
  createAdapterSender,
  failureFromError,
  guardHook,
  handConfiguredNotice,
  type AdapterRole,
  type AdapterSender,
} from '@3pio/ipc/adapter';
import type { Config } from '@jest/types';
import type { Reporter, Test, TestContext } from '@jest/reporters';
import type { AggregatedResult, AssertionResult, TestResult } from '@jest/test-result';
import { consoleEvents } from './mapping/console-output.js';
import { fileResultEvent, fileStatus } from './mapping/file-result.js';
import { testStatus } from './mapping/status.js';
import { attemptsOf, testCaseEvent } from './mapping/test-case.js';
import { RunFiles, type JestFile } from './mapping/test-file.js';
import { RunLedger } from './run-ledger.js';
import { TestOccurrences, type Occurrence } from './test-occurrences.js';
import { jestVersion } from './runner-version.js';

type RunCompletePayload = RunCompleteEvent['payload'];

const RUNNER = 'jest';

/**
 * Whether Jest will call the run a success. Jest sets `success` only after the reporters'
 * onRunComplete (TestScheduler, 29 and 30), so there it is still false: decide as Jest
 * then does, from what is set by then.
 */
function jestRunSucceeds(aggregated: AggregatedResult): boolean {
  return (
    aggregated.numFailedTests === 0 &&
    aggregated.numRuntimeErrorTestSuites === 0 &&
    !aggregated.snapshot.failure &&
    aggregated.runExecError === undefined
  );
}

export class JestAdapter implements Reporter {
  /** Undefined while standing aside: 3pio registered its own adapter in this process. */
  private readonly sender: AdapterSender | undefined;
  private readonly role: AdapterRole;
  private readonly rootDir: string | undefined;
  private readonly files: RunFiles;
  private readonly ledger = new RunLedger();
  /** Per file running (by key): how many tests of each name it reported so far, and the results held back. */
  private readonly running = new Map<
    string,
    { occurrences: TestOccurrences; held: { result: AssertionResult; occurrence: Occurrence }[] }
  >();
  private readonly startedAt = Date.now();
  private runStarted = false;
  private runCompleted = false;
  // A test that calls process.exit in-band ends Jest without onRunComplete.
  private readonly onProcessExit = (): void => this.guard('process exit', () => this.completeRun(undefined));

  /** Jest passes its global config and the reporter's options (`[path, options]` in `reporters`). */
  constructor(globalConfig?: Config.GlobalConfig, options?: unknown) {
    this.role = adapterRole(RUNNER, options);
    this.rootDir = globalConfig?.rootDir;
    this.files = new RunFiles(globalConfig);
    this.sender =
      this.role.kind === 'standing-aside'
        ? undefined
        : createAdapterSender(process.cwd(), this.role.kind === 'injected' ? { ipcPath: this.role.injection.ipcPath } : {});
  }

  onRunStart(aggregated: AggregatedResult): void {
    this.guard('onRunStart', () => {
      if (this.runStarted || this.sender === undefined) return;
      this.runStarted = true;
      process.once('exit', this.onProcessExit);
      this.sender.beginRun();
      const injection = this.role.kind === 'injected' ? this.role.injection : undefined;
      injection?.runStarting();
      const runnerVersion = jestVersion();
      const notes = injection?.notes(RUNNER) ?? [];
      this.sender.send({
        eventType: 'runStart',
        payload: {
          runner: RUNNER,
          ...(runnerVersion === undefined ? {} : { runnerVersion }),
          pid: process.pid,
          cwd: process.cwd(),
          ...(this.rootDir === undefined ? {} : { root: this.rootDir }),
          argv: process.argv.slice(2),
          totalFiles: aggregated.numTotalTestSuites,
          ...(notes.length > 0 ? { notes } : {}),
        },
      });
    });
  }

  onTestFileStart(test: Test): void {
    this.guard(
      'onTestFileStart',
      () => this.startFile(this.files.of(test)),
      () => ({ filePath: test.path }),
    );
  }

  onTestCaseResult(test: Test, result: AssertionResult): void {
    const subject = () => ({ filePath: test.path, testName: result.title, ancestorTitles: [...result.ancestorTitles] });
    this.guard(
      'onTestCaseResult',
      () => {
        const file = this.files.of(test);
        let running = this.running.get(file.key);
        if (running === undefined) this.running.set(file.key, (running = { occurrences: new TestOccurrences(), held: [] }));
        const occurrence = running.occurrences.next(result);
        // A name seen before waits for the file's result (see TestOccurrences).
        if (occurrence.first) this.reportTest(file, result, occurrence);
        else running.held.push({ result, occurrence });
      },
      subject,
    );
  }

  onTestFileResult(test: Test, result: TestResult): void {
    this.guard(
      'onTestFileResult',
      () => {
        const sender = this.sender;
        if (sender === undefined) return;
        const file = this.files.of(test);
        // Jest clears `console` once the reporters have run: map it now.
        const output = consoleEvents(file, result.console);
        this.startFile(file);
        // Skipped and filtered tests never reach onTestCaseResult; a retried file's final results win.
        const occurrences = new TestOccurrences();
        for (const testResult of result.testResults) this.reportTest(file, testResult, occurrences.next(testResult));
        this.running.delete(file.key);
        for (const event of output) sender.send(event);
        this.ledger.finishFile(file, fileStatus(result));
        sender.send(fileResultEvent(file, result));
      },
      () => ({ filePath: test.path }),
    );
  }

  onRunComplete(_contexts: Set<TestContext>, aggregated: AggregatedResult): void {
    this.guard('onRunComplete', () => {
      this.completeRun(aggregated);
      if (this.sender?.handConfigured === true) this.tellWhereEventsAre(this.sender.ipcPath);
    });
  }

  /** Nothing the adapter does may throw into Jest, nor fail unseen: see guardHook. */
  private guard(hook: string, body: () => void, subject?: () => FailureSubject): void {
    guardHook(RUNNER, hook, body, this.sender, subject);
  }

  private startFile(file: JestFile): void {
    if (this.sender !== undefined && this.ledger.startFile(file)) this.sender.send({ eventType: 'testFileStart', payload: file.fields });
  }

  private reportTest(file: JestFile, result: AssertionResult, { testId, identity }: Occurrence): void {
    if (this.sender !== undefined && this.ledger.recordTest(file, identity, testStatus(result.status), attemptsOf(result))) {
      this.sender.send(testCaseEvent(file, result, testId));
    }
  }

  /** `aggregated` is undefined when the process exits before Jest finished the run. */
  private completeRun(aggregated: AggregatedResult | undefined): void {
    const sender = this.sender;
    if (this.runCompleted || sender === undefined) return;
    this.runCompleted = true;
    process.removeListener('exit', this.onProcessExit);
    const message =
      aggregated === undefined
        ? 'The Jest process exited before this file finished (a test called process.exit in band, or Jest was killed).'
        : 'Jest reported no result for this file (the run was interrupted or stopped by --bail).';
    for (const file of this.ledger.unfinishedFiles()) {
      // No file result will come to settle the results held back: they are what there is.
      for (const { result, occurrence } of this.running.get(file.key)?.held ?? []) this.reportTest(file, result, occurrence);
      this.ledger.finishFile(file, 'FAIL');
      sender.send({ eventType: 'testFileResult', payload: { ...file.fields, status: 'FAIL', error: { message } } });
    }
    const payload: RunCompletePayload = {
      runner: RUNNER,
      pid: process.pid,
      status: aggregated !== undefined && jestRunSucceeds(aggregated) && !this.ledger.anyFileFailed ? 'PASS' : 'FAIL',
      duration: Date.now() - (aggregated !== undefined && aggregated.startTime > 0 ? aggregated.startTime : this.startedAt),
      totals: this.ledger.totals(),
    };
    if (aggregated === undefined || aggregated.wasInterrupted) payload.interrupted = true;
    if (aggregated?.runExecError !== undefined) payload.errors = [failureFromError(aggregated.runExecError)];
    if (sender.failures > 0) payload.lostEvents = sender.failures;
    sender.send({ eventType: 'runComplete', payload });
  }

  /** Configured by hand, the user has no orchestrator telling them where the events went: say it once, as Jest's reporters print (stderr). */
  private tellWhereEventsAre(ipcPath: string): void {
    process.stderr.write(`${handConfiguredNotice(ipcPath)}\n`);
  }
}
