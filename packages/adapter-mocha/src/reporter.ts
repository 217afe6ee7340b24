/**
 * The reporter Mocha loads (`--reporter <this package>`). Mocha allows one reporter,
 * so it also runs the user's own (Spec by default) to keep their output unchanged.
 */
import type Mocha from 'mocha';
import { debugLog } from '@3pio/ipc/adapter';
import { createInnerReporter, type InnerReporter } from './inner-reporter.js';
import { loadMocha } from './mocha-runtime.js';
import { RunSession } from './run-session.js';

export class ThreePioMochaReporter {
  private readonly inner: InnerReporter;
  private readonly session: RunSession | undefined;

  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions = {}) {
    const mocha = loadMocha();
    // Our listeners go first, so failures are seen before Base rewrites err.actual/expected to strings.
    try {
      this.session = new RunSession(mocha, runner, options);
    } catch (error) {
      debugLog(`not recording this run: ${(error as Error).stack ?? String(error)}`);
    }
    this.inner = createInnerReporter(mocha, runner, options, ThreePioMochaReporter);
  }

  /** Mocha calls this after the run, instead of its own callback, when a reporter has it. */
  done(failures: number, fn: (failures: number) => void): void {
    try {
      this.session?.complete(failures);
    } catch (error) {
      debugLog(`cannot complete the run: ${(error as Error).stack ?? String(error)}`);
    }
    if (typeof this.inner.done === 'function') this.inner.done(failures, fn);
    else fn(failures);
  }
}
