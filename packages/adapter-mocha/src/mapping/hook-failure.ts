/**
 * A failing hook. Mocha reports it as `fail(hook, err)` and then silently skips every
 * test of the hook's suite (nested suites included) that has not run yet (§3.3).
 */
import type Mocha from 'mocha';

/** Every test under `suite`, nested suites included, in definition order. */
export function testsUnder(suite: Mocha.Suite): Mocha.Test[] {
  return [...suite.tests, ...suite.suites.flatMap(testsUnder)];
}
