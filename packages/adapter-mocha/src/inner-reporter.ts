/**
 * Mocha allows one reporter, and ours takes its place, so the adapter runs the
 * reporter the user would have seen inside itself: Spec, or the one the orchestrator
 * names in THREEPIO_MOCHA_REPORTER (read from the user's .mocharc or command line),
 * with THREEPIO_MOCHA_REPORTER_OPTIONS (a JSON object) as its `--reporter-option`s.
 */
import type Mocha from 'mocha';
import { debugLog } from '@3pio/ipc/adapter';
import type { MochaModule } from './mocha-runtime.js';

export const INNER_REPORTER_ENV = 'THREEPIO_MOCHA_REPORTER';
export const INNER_REPORTER_OPTIONS_ENV = 'THREEPIO_MOCHA_REPORTER_OPTIONS';

export interface InnerReporter {
  done?(failures: number, fn: (failures: number) => void): void;
}
export type ReporterConstructor = new (runner: Mocha.Runner, options: Mocha.MochaOptions) => InnerReporter;

function reporterOptionsFromEnv(): Record<string, unknown> | undefined {
  const raw = process.env[INNER_REPORTER_OPTIONS_ENV];
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Reported below, like any other unusable value.
  }
  debugLog(`${INNER_REPORTER_OPTIONS_ENV} is not a JSON object; ignored: ${raw}`);
  return undefined;
}

/** Resolves a reporter name exactly as `mocha --reporter <name>` would (built-in, package, path). */
function resolveReporter(mocha: MochaModule, name: string): ReporterConstructor {
  const holder = { options: {} as Record<string, unknown>, _reporter: undefined as unknown };
  (mocha.prototype.reporter as (this: typeof holder, name: string) => unknown).call(holder, name);
  return holder._reporter as ReporterConstructor;
}

/**
 * Constructs the user-facing reporter on `runner`. `self` is the adapter's own class:
 * a configuration that names the adapter as the user's reporter must not recurse.
 */
export function createInnerReporter(mocha: MochaModule, runner: Mocha.Runner, options: Mocha.MochaOptions, self: unknown): InnerReporter {
  const name = process.env[INNER_REPORTER_ENV] || 'spec';
  let Reporter: ReporterConstructor = mocha.reporters.Spec;
  try {
    const resolved = resolveReporter(mocha, name);
    if (resolved !== self) Reporter = resolved;
  } catch (error) {
    debugLog(`cannot load the reporter ${JSON.stringify(name)} (${(error as Error).message}); using spec`);
  }
  const reporterOption = reporterOptionsFromEnv();
  const innerOptions = reporterOption === undefined ? options : { ...options, reporterOption, reporterOptions: reporterOption };
  return new Reporter(runner, innerOptions);
}
