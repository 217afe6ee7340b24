/**
 * One run as 3pio sees it, live or replayed: events from an IPC file folded into the
 * run state, the reports kept up to date, the console told when files finish, and the
 * whole finalised at the end.
 */
import { join } from 'node:path';
import type { IpcManagerOptions } from '@3pio/ipc';
import { ConsoleReporter, type ConsoleTarget } from '../console/console-reporter.js';
import { RunState } from '../model/run-state.js';
import { ReportWriter, RUN_REPORT } from '../reports/report-writer.js';
import { displayPath } from '../reports/report-path.js';
import { runnerLabel, runPlace, type RunInfo, type RunStatus } from '../reports/run-report.js';
import type { RunRecord } from '../model/run-state.js';
import { firstLine, plural } from '../text.js';
import { adapterFailureText, missingResultsNote } from './adapter-failure.js';
import type { LastFailures } from '../narrow/last-failures.js';
import { EXIT_INTERNAL } from './exit-codes.js';
import { RUN_LOG, runLog, type RunLog } from './run-log.js';
import { followEvents, type EventFeed } from './event-feed.js';
import { copyJunit } from '../reports/junit-file.js';
import { writeStreamed } from '../reports/temporary-file.js';
import { JUNIT_REPORT, junitXml } from '../reports/junit-xml.js';
import { writeSessionRecord } from './session-record.js';

export interface SessionOptions {
  runDir: string;
  ipcPath: string;
  projectRoot: string;
  cwd: string;
  command: string;
  out: ConsoleTarget;
  managerOptions?: IpcManagerOptions;
  /** `--junit <path>`: where a copy of junit.xml goes (absolute). */
  junitCopy?: string;
  /** `--failed`: the last run's failures this run runs again. */
  narrowedFrom?: LastFailures;
  /** `--label` / THREEPIO_LABEL. */
  label?: string;
}

export class RunSession {
  readonly state: RunState;
  readonly writer: ReportWriter;
  readonly console: ConsoleReporter;
  readonly info: RunInfo;
  private feed: EventFeed | undefined;
  /** Problems the reader met in the event file (each is in 3pio.log). */
  private readProblems = 0;
  /** 3pio's own first failure during the run (a bug, a report it could not write): the run ends ERROR, exit 125. */
  private ownFailure: Error | undefined;
  /** `3pio.log`: also for what happens to the run directory after the session (run-directory.ts). */
  readonly log: RunLog;

  constructor(private readonly options: SessionOptions) {
    this.state = new RunState(options.projectRoot);
    this.info = {
      command: options.command,
      startedAt: new Date(),
      finishedAt: undefined,
      status: 'RUNNING',
      ...(options.label === undefined ? {} : { label: options.label }),
    };
    this.writer = new ReportWriter(options.runDir, this.state, () => this.info);
    this.console = new ConsoleReporter(options.out, this.state, options.cwd, (file) => this.writer.reportPath(file));
    this.log = runLog(join(options.runDir, RUN_LOG));
  }

  /** The exit code finish() settled on (125 after 3pio's own failure, 1 for an incomplete run the command called a success). */
  get exitCode(): number | undefined {
    return this.info.exitCode;
  }

  /** 3pio's own failure, if it had one: the caller exits 125. */
  get failure(): Error | undefined {
    return this.ownFailure;
  }

  /** Records a failure of 3pio itself (in full in 3pio.log); the run goes on as far as it can. */
  fail(error: unknown): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    this.ownFailure ??= failure;
    this.log.error(`3pio failed: ${failure.stack ?? failure.message}`);
  }

  async header(shownCommand: string): Promise<void> {
    this.console.header(shownCommand, this.options.runDir, this.writer.runReportPath);
    await this.writer.flush();
  }

  /** Starts reading the IPC file; events are applied as they come. */
  async start(): Promise<void> {
    this.feed = await followEvents(
      this.options.ipcPath,
      { logger: this.log, ...this.options.managerOptions },
      (event) => {
        // One event 3pio cannot handle must not stop it from reading the others.
        try {
          const file = this.state.apply(event);
          if (event.eventType === 'adapterError') this.log.error(adapterFailureText(event.payload, this.options.projectRoot));
          this.writer.changed(file);
          if (file !== undefined) this.console.fileChanged(file);
          else if (event.eventType === 'runStart') this.console.runStarted(this.state.runOf(event));
        } catch (error) {
          this.fail(error);
        }
      },
      () => (this.readProblems += 1),
    );
  }

  /** Reads every event still in the file; resolves once all are applied. */
  async drain(): Promise<void> {
    try {
      await this.feed?.drain();
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Marks unfinished files incomplete, settles the status, writes the final reports
   * and prints the summary.
   */
  async finish(outcome: { status?: RunStatus; incompleteReason: string; note?: string; exitCode?: number }): Promise<RunStatus> {
    const unfinished = this.state.finalize(outcome.incompleteReason);
    const unfinishedRuns = this.state.unfinishedRuns;
    const { files } = this.state.totals();
    const runs = [...this.state.runs.values()];
    const runFailed = runs.some((run) => run.complete?.status === 'FAIL');
    const shortRuns = runs.filter((run) => run.filesNeverRun > 0);
    const incomplete = files.INCOMPLETE > 0 || unfinishedRuns.length > 0 || shortRuns.length > 0;
    const status: RunStatus =
      outcome.status ??
      (this.ownFailure !== undefined ? 'ERROR' : undefined) ??
      (files.FAIL > 0 || incomplete || runFailed || (outcome.exitCode ?? 0) !== 0 ? 'FAILED' : 'PASSED');
    // A runner that exits 0 without having run everything it started or announced (a test that
    // called process.exit(0), say) must not pass for a green run.
    const exitCode = incomplete && outcome.exitCode === 0 ? 1 : outcome.exitCode;
    const notes = [
      ...(this.options.narrowedFrom === undefined ? [] : [narrowedNote(this.options.narrowedFrom, status, this.options.command)]),
      ...(outcome.note === undefined ? [] : [outcome.note]),
      ...(this.readProblems > 0 ? [`${plural(this.readProblems, 'problem')} reading the event file; see ${RUN_LOG}.`] : []),
      ...(unfinishedRuns.length > 0
        ? [`${describeRuns(unfinishedRuns, this.state.projectRoot)} did not complete: ${outcome.incompleteReason}.`]
        : unfinished.length > 0
          ? [`The run did not complete: ${outcome.incompleteReason}.`]
          : []),
      ...shortRuns.map((run) => {
        const announced = run.start?.totalFiles ?? 0;
        const names = run.namesNeverRun(this.state.projectRoot).map((path) => displayPath(path, this.state.projectRoot));
        const named =
          names.length === 0
            ? ''
            : `: ${names.slice(0, NAMED_NEVER_RUN).join(', ')}${names.length > NAMED_NEVER_RUN ? ` and ${names.length - NAMED_NEVER_RUN} more` : ''}`;
        return `${describeRuns([run], this.state.projectRoot)} announced ${plural(announced, 'test file')} and gave results for ${run.fileResults}: ${run.filesNeverRun} never ran${named}.`;
      }),
      ...runs
        .filter((run) => run.complete?.status === 'FAIL' && run.totals().files.FAIL === 0)
        .map(
          (run) =>
            `${describeRuns([run], this.state.projectRoot)} says it failed, though none of its test files did (its errors are in ${RUN_REPORT}).`,
        ),
      ...runs.flatMap((run) => missingResultsNote(run, describeRuns([run], this.state.projectRoot), RUN_LOG) ?? []),
      ...(exitCode !== outcome.exitCode ? ['The command exited 0, but the run is incomplete: 3pio exits 1.'] : []),
    ];
    this.info.status = status;
    this.info.finishedAt = new Date();
    if (notes.length > 0) this.info.note = notes.join(' ');
    if (exitCode !== undefined) this.info.exitCode = exitCode;
    await this.writeJunit();
    // Reports already on disk are current; only the files finalize() changed need rewriting.
    this.writer.changed();
    for (const file of unfinished) this.writer.changed(file);
    try {
      await this.writer.flush();
    } catch (error) {
      this.fail(error);
    }
    // 3pio failed, during the run or just now: say so in the summary, which is written on its own if reports could not be.
    if (this.ownFailure !== undefined) {
      this.info.status = 'ERROR';
      this.info.exitCode = EXIT_INTERNAL;
      this.info.note = [`3pio itself failed: ${firstLine(this.ownFailure.message)} (details in ${RUN_LOG}).`, ...notes].join(' ');
      this.writer.changed();
      await this.writer.flush().catch((error: unknown) => this.fail(error));
    }
    // Last: its presence says the reports are final (`3pio last` reads it).
    await writeSessionRecord(this.options.runDir, this.info, outcome.incompleteReason, this.options.projectRoot).catch((error: unknown) =>
      this.log.error(`Cannot write the session record: ${String(error)}`),
    );
    this.log.close();
    this.console.summary(
      this.info.status,
      this.info.finishedAt.getTime() - this.info.startedAt.getTime(),
      this.writer.runReportPath,
      this.info.note,
    );
    return this.info.status;
  }

  /** junit.xml in the run directory and, with `--junit`, its copy; a failure to write either is 3pio's (ERROR, exit 125). */
  private async writeJunit(): Promise<void> {
    const path = join(this.options.runDir, JUNIT_REPORT);
    try {
      await writeStreamed(path, junitXml(this.state, this.info));
      if (this.options.junitCopy !== undefined) await copyJunit(path, this.options.junitCopy);
    } catch (error) {
      this.fail(error);
    }
  }
}

/** What a `--failed` run says of itself: narrowed from which run, and whether what failed there passes now. */
function narrowedNote({ runId, failedFiles, failedTests }: LastFailures, status: RunStatus, command: string): string {
  const what = `what failed in run ${runId} (${plural(failedFiles, 'test file')}, ${plural(failedTests, 'failing test')})`;
  return status === 'PASSED'
    ? `3pio --failed ran only ${what}, and it passes now; run the whole command once more: 3pio ${command}.`
    : `3pio --failed ran only ${what}.`;
}

/** `Run 2 (jest 30.5.2 in packages/a)`, `Runs 1 (…) and 3 (…)`. */
function describeRuns(runs: RunRecord[], projectRoot: string): string {
  const each = runs.map((run) => `${run.index} (${runnerLabel(run)} in ${runPlace(run, projectRoot)})`);
  return runs.length === 1 ? `Run ${each.join('')}` : `Runs ${each.slice(0, -1).join(', ')} and ${each.at(-1) ?? ''}`;
}

/** Files that never ran named in the summary; past this they are counted. */
const NAMED_NEVER_RUN = 10;
