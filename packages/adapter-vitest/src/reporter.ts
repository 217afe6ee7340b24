/**
 * The reporter Vitest loads. Each hook maps what Vitest reports to @3pio/ipc events (see
 * README.md for the table). Every hook is guarded: whatever goes wrong in here is noted in
 * the debug log and never reaches the runner, its output or its exit code.
 */
import type { FailureDetails, KnownEvent, RunStartEvent } from '@3pio/ipc';
import {
  announcedFiles,
  adapterRole,
  createAdapterSender,
  debugLog,
  guardHook,
  handConfiguredNotice,
  type AdapterRole,
  type AdapterSender,
  type FailureSubject,
} from '@3pio/ipc/adapter';
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, TestSpecification, Vitest } from 'vitest/node';
import { outputChunkPayload, type UserConsoleLog } from './mapping/console-log.js';
import { fileResultPayload } from './mapping/file-result.js';
import { moduleFile } from './mapping/module-file.js';
import { suiteChain } from './mapping/suite-chain.js';
import { hookFailureOf, isSkippedAtRunTime, testCasePayload } from './mapping/test-case.js';
import { testPathOf, unhandledErrorFailure } from './mapping/unhandled-errors.js';
import { RunTracker, type FileRecord } from './run-tracker.js';

export class ThreePioVitestReporter implements Reporter {
  private vitest: Vitest | undefined;
  private sender: AdapterSender | undefined;
  private readonly role: AdapterRole;
  /** The run in progress; Vitest in watch mode starts a new one on every rerun. */
  private run: RunTracker | undefined;

  /** Vitest passes the reporter's options (`[path, options]` in `reporters`); 3pio passes its own when it registers the adapter. */
  constructor(options?: unknown) {
    this.role = adapterRole('vitest', options);
  }

  onInit(vitest: Vitest): void {
    this.guarded('onInit', () => {
      // 3pio registered its own adapter in this process: this copy, configured by hand, reports nothing.
      if (this.role.kind === 'standing-aside') return;
      this.vitest = vitest;
      // By hand (no THREEPIO_IPC_PATH) the events go to <project root>/.3pio/ipc/<run id>.jsonl.
      this.sender = createAdapterSender(vitest.config.root, this.role.kind === 'injected' ? { ipcPath: this.role.injection.ipcPath } : {});
    });
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.guarded('onTestRunStart', () => {
      if (this.vitest === undefined || this.sender === undefined) return;
      this.run = new RunTracker();
      this.sender.beginRun();
      const injection = this.role.kind === 'injected' ? this.role.injection : undefined;
      injection?.runStarting();
      const notes = injection?.notes('vitest') ?? [];
      const payload: RunStartEvent['payload'] = {
        runner: 'vitest',
        runnerVersion: this.vitest.version,
        pid: process.pid,
        cwd: process.cwd(),
        root: this.vitest.config.root,
        argv: process.argv.slice(2),
        ...(notes.length > 0 ? { notes } : {}),
      };
      // With --shard, Vitest hands every shard's files to every shard (ADAPTERS.md §2.7).
      if (!this.vitest.config.shard) Object.assign(payload, announcedFiles(specifications.map((specification) => specification.moduleId)));
      this.send({ eventType: 'runStart', payload });
    });
  }

  onTestModuleQueued(testModule: TestModule): void {
    this.guarded(
      'onTestModuleQueued',
      () => this.startFile(testModule),
      () => moduleFile(testModule),
    );
  }

  onTestModuleCollected(testModule: TestModule): void {
    this.guarded(
      'onTestModuleCollected',
      () => this.startFile(testModule),
      () => moduleFile(testModule),
    );
  }

  onTestCaseResult(testCase: TestCase): void {
    this.guarded(
      'onTestCaseResult',
      () => {
        const record = this.startFile(testCase.module);
        if (record === undefined) return;
        // Already sent when its file ended before this call came (see finishFile).
        if (record.result !== undefined && this.run?.hasTest(testCase) === true) return;
        this.takeTestCase(record, testCase);
      },
      () => ({ ...moduleFile(testCase.module), testName: testCase.name, ancestorTitles: suiteChain(testCase) }),
    );
  }

  onTestModuleEnd(testModule: TestModule): void {
    this.guarded(
      'onTestModuleEnd',
      () => {
        const record = this.startFile(testModule);
        if (record !== undefined) this.finishFile(record);
      },
      () => moduleFile(testModule),
    );
  }

  onUserConsoleLog(log: UserConsoleLog): void {
    this.guarded('onUserConsoleLog', () => {
      if (this.vitest === undefined || this.run === undefined) return;
      const payload = outputChunkPayload(this.vitest, log);
      if (payload === undefined) {
        debugLog(`console output of unknown task ${String(log.taskId)} dropped: ${JSON.stringify(log.content.slice(0, 200))}`);
        return;
      }
      this.send({ eventType: log.type === 'stderr' ? 'stderrChunk' : 'stdoutChunk', payload });
    });
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    this.guarded('onTestRunEnd', () => {
      const run = this.run;
      if (run === undefined) return;
      // Close every file: before 4.0.17 a file that failed to import never ends, and a
      // killed worker leaves its file pending (ADAPTERS.md §2.3).
      for (const testModule of testModules) this.startFile(testModule);
      for (const record of run.allFiles()) this.finishFile(record, reason === 'interrupted');
      // Unhandled errors that came after their file's result: send that result again, failed.
      for (const error of unhandledErrors) {
        const record = this.fileOf(error);
        if (record === undefined || record.unhandledErrors.includes(error)) continue;
        record.unhandledErrors.push(error);
        this.sendFileResult(record);
      }
      this.completeRun(run, unhandledErrors, reason);
      this.run = undefined;
    });
  }

  private completeRun(run: RunTracker, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const root = this.vitest?.config.root ?? process.cwd();
    const errors: FailureDetails[] = unhandledErrors.map((error) => unhandledErrorFailure(error, root));
    const files = [...run.allFiles()];
    if (reason === 'failed' && files.length === 0 && errors.length === 0) {
      // globalSetup threw, for instance: Vitest prints the cause on stderr only.
      errors.push({ message: 'Vitest failed the run before any test file ran; the cause is on its stderr.' });
    }
    const totals = run.totals();
    const failed = reason === 'failed' || totals.failed > 0 || errors.length > 0 || files.some((record) => record.result === 'FAIL');
    this.send({
      eventType: 'runComplete',
      payload: {
        runner: 'vitest',
        pid: process.pid,
        status: failed ? 'FAIL' : 'PASS',
        duration: Date.now() - run.startedAt,
        interrupted: reason === 'interrupted',
        totals,
        ...(errors.length > 0 ? { errors } : {}),
        ...(this.sender !== undefined && this.sender.failures > 0 ? { lostEvents: this.sender.failures } : {}),
      },
    });
    if (this.sender?.handConfigured === true) {
      // Configured by hand: say once, at the very end and through Vitest's logger, where the events are.
      this.vitest?.logger.log(`\n ${handConfiguredNotice(this.sender.ipcPath)}\n`);
    }
  }

  /** Nothing the adapter does may throw into Vitest, nor fail unseen: see guardHook. */
  private guarded(hook: string, body: () => void, subject?: () => FailureSubject): void {
    guardHook('vitest', hook, body, this.sender, subject);
  }

  /** The file's record, announcing the file with testFileStart the first time it is seen. */
  private startFile(testModule: TestModule): FileRecord | undefined {
    if (this.run === undefined) return undefined;
    const { record, created } = this.run.file(testModule);
    if (created) this.send({ eventType: 'testFileStart', payload: moduleFile(testModule) });
    return record;
  }

  /** A finished test: sent now, or held until its file ends when it was skipped at run time. */
  private takeTestCase(record: FileRecord, testCase: TestCase): void {
    if (isSkippedAtRunTime(testCase)) record.skippedAtRunTime.push(testCase);
    else this.sendTestCase(record, testCase);
  }

  private sendTestCase(record: FileRecord, testCase: TestCase, hookFailure?: FailureDetails): void {
    const payload = testCasePayload(testCase, hookFailure);
    this.run?.recordTest(testCase, payload.status);
    if (payload.status === 'FAIL') record.anyTestFailed = true;
    this.send({ eventType: 'testCase', payload });
  }

  /** Sends the tests held back until the hook errors were known, then the file's result. */
  /** `runInterrupted`: at the end of a run that was stopped (--bail), when some files never got to run. */
  private finishFile(record: FileRecord, runInterrupted = false): void {
    if (record.result !== undefined) return;
    // Vitest can end a module before the result of its last test reaches the reporters
    // (seen with 4.1 and the forks pool when an afterAll fails): take every finished test
    // now, so that no test comes after its file's result.
    for (const testCase of record.module.children.allTests()) {
      if (
        testCase.result().state === 'pending' ||
        this.run?.hasTest(testCase) === true ||
        record.skippedAtRunTime.some((held) => held.id === testCase.id)
      )
        continue;
      this.takeTestCase(record, testCase);
    }
    for (const testCase of record.skippedAtRunTime.splice(0)) this.sendTestCase(record, testCase, hookFailureOf(testCase));
    for (const error of this.unhandledErrorsSoFar()) {
      if (testPathOf(error) === record.module.moduleId && !record.unhandledErrors.includes(error)) record.unhandledErrors.push(error);
    }
    this.sendFileResult(record, runInterrupted);
  }

  private sendFileResult(record: FileRecord, runInterrupted = false): void {
    const payload = fileResultPayload(record.module, {
      anyTestFailed: record.anyTestFailed,
      unhandledErrors: record.unhandledErrors,
      runInterrupted,
    });
    record.result = payload.status;
    this.send({ eventType: 'testFileResult', payload });
  }

  /**
   * Unhandled errors Vitest has caught so far, so that a file's result can carry its own
   * (they are handed to reporters only at the end of the run). `state` is experimental API:
   * read defensively, and the end of the run catches whatever this misses.
   */
  private unhandledErrorsSoFar(): readonly unknown[] {
    const state = this.vitest?.state as Partial<Vitest['state']> | undefined;
    return state?.getUnhandledErrors?.() ?? [];
  }

  private fileOf(error: unknown): FileRecord | undefined {
    const testPath = testPathOf(error);
    return testPath === undefined ? undefined : this.run?.fileByPath(testPath);
  }

  private send(event: KnownEvent): void {
    this.sender?.send(event);
  }
}
