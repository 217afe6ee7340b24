/**
 * The adapter's work in Mocha's main process: `runStart`, the files and tests (serial:
 * here; parallel: in the workers), `runComplete`, and the hand-configured notice.
 */
import { join, resolve } from 'node:path';
import { announcedFiles, handConfiguredNotice, now, type AdapterSender, type Injection } from '@3pio/ipc/adapter';
import type Mocha from 'mocha';
import { createMochaSender, shareWithWorkers } from './mocha-sender.js';
import { INNER_REPORTER_ENV } from './inner-reporter.js';
import type { MochaModule } from './mocha-runtime.js';
import type { ParallelTracker } from './parallel/parallel-tracker.js';
import { runCompletePayload } from './run-totals.js';
import { SerialRecorder } from './serial-recorder.js';

/** Only the runner's exported methods we use that @types/mocha lacks (Mocha ≥ 8). */
interface ParallelCapableRunner extends Mocha.Runner {
  isParallelMode?(): boolean;
  workerReporter?(path: string): unknown;
}

export const WORKER_REPORTER_PATH = join(__dirname, 'worker-reporter.js');

/** Reporters whose stdout is data, not for reading: the notice goes to stderr instead. */
const MACHINE_READABLE = new Set(['json', 'json-stream', 'tap', 'xunit', 'markdown']);

export class RunSession {
  private readonly sender: AdapterSender;
  private readonly serial: SerialRecorder | undefined;
  private readonly parallel: ParallelTracker | undefined;
  private startedAt = now();
  private completed = false;

  /** `injection`: set when 3pio registered the adapter in this process. */
  constructor(
    mocha: MochaModule,
    runner: ParallelCapableRunner,
    options: Mocha.MochaOptions & { files?: string[] },
    private readonly injection?: Injection,
  ) {
    this.sender = createMochaSender(injection?.ipcPath);
    this.sender.beginRun();
    injection?.runStarting();
    const files = (options.files ?? []).map((file) => resolve(file));
    if (runner.isParallelMode?.() === true && typeof runner.workerReporter === 'function') {
      runner.workerReporter(WORKER_REPORTER_PATH);
      shareWithWorkers(this.sender);
      // Set up only here (the bundle defers a required module until it is required): a
      // serial run, the common case, does not run the parallel code's module body.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on demand (see above)
      const { ParallelTracker: Tracker } = require('./parallel/parallel-tracker.js') as typeof import('./parallel/parallel-tracker.js');
      this.parallel = new Tracker(runner, this.sender, files, options.bail === true, mocha.Runnable);
    } else {
      this.serial = new SerialRecorder(runner, this.sender, files);
    }
    // In parallel mode Mocha emits `start` again for each file that failed to load: send runStart once.
    runner.once('start', () => {
      this.startedAt = now();
      const notes = this.injection?.notes('mocha') ?? [];
      this.sender.send({
        eventType: 'runStart',
        payload: {
          runner: 'mocha',
          runnerVersion: String((mocha.prototype as { version?: unknown }).version),
          pid: process.pid,
          cwd: process.cwd(),
          root: process.cwd(),
          argv: process.argv.slice(2),
          ...announcedFiles(files),
          ...(notes.length > 0 ? { notes } : {}),
        },
      });
    });
  }

  /** The adapter failed in `hook` outside the runner's events (see guardHook). */
  reportFailure(hook: string, error: unknown): void {
    this.sender.reportFailure('mocha', hook, error);
  }

  /** At Mocha's `done`: after the last `end`, which parallel mode can emit several times. */
  complete(mochaFailures: number): void {
    if (this.completed) return;
    this.completed = true;
    const summaries = this.serial?.finish() ?? this.parallel?.summaries() ?? [];
    const errors = this.serial?.runErrors ?? this.parallel?.runErrors ?? [];
    const payload = runCompletePayload(summaries, errors, mochaFailures, now() - this.startedAt);
    if (this.sender.failures > 0) payload.lostEvents = this.sender.failures;
    this.sender.send({ eventType: 'runComplete', payload });
    if (this.sender.handConfigured) this.tellWhereEventsAre();
  }

  /** Configured by hand, nobody else knows the file: say where it is once, after the reporter's summary. */
  private tellWhereEventsAre(): void {
    const line = `  ${handConfiguredNotice(this.sender.ipcPath)}\n`;
    if (MACHINE_READABLE.has(process.env[INNER_REPORTER_ENV] ?? '')) process.stderr.write(line);
    else process.stdout.write(`${line}\n`);
  }
}
