/**
 * The reporter Mocha loads (`--reporter <this package>`). Mocha allows one reporter,
 * so it also runs the user's own (Spec by default) to keep their output unchanged.
 */
import type Mocha from 'mocha';
import { adapterRole, debugLog, INJECTED_OPTION } from '@3pio/ipc/adapter';
import { createInnerReporter, type InnerReporter, type ReporterConstructor } from './inner-reporter.js';
import { loadMocha } from './mocha-runtime.js';
import { RunSession } from './run-session.js';

/** How 3pio constructs the adapter when it registers it in Mocha's process: with the reporter Mocha would have used. */
export interface MochaInjection {
  reporter: ReporterConstructor;
}

export class ThreePioMochaReporter {
  private readonly inner: InnerReporter;
  private readonly session: RunSession | undefined;

  /** Mocha passes the runner and its options; 3pio passes `injected` too, when it registers the adapter itself. */
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions = {}, injected?: MochaInjection) {
    const mocha = loadMocha();
    const role = adapterRole('mocha', injected === undefined ? undefined : { [INJECTED_OPTION]: true });
    // Our listeners go first, so failures are seen before Base rewrites err.actual/expected to strings.
    if (role.kind !== 'standing-aside') {
      try {
        this.session = new RunSession(mocha, runner, options, role.kind === 'injected' ? role.injection : undefined);
      } catch (error) {
        debugLog(`not recording this run: ${(error as Error).stack ?? String(error)}`);
      }
    }
    this.inner =
      injected === undefined ? createInnerReporter(mocha, runner, options, ThreePioMochaReporter) : new injected.reporter(runner, options);
  }

  /** Mocha calls this after the run, instead of its own callback, when a reporter has it. */
  done(failures: number, fn: (failures: number) => void): void {
    try {
      this.session?.complete(failures);
    } catch (error) {
      this.session?.reportFailure('done', error);
    }
    if (typeof this.inner.done === 'function') this.inner.done(failures, fn);
    else fn(failures);
  }
}
