/** Which file a Mocha test or hook belongs to. */
import type Mocha from 'mocha';

/**
 * The file of a test: its own, else its nearest suite's. Mocha sets none on a test added
 * with `suite.addTest(new Mocha.Test(…))`, which still runs and counts as the suite's.
 */
export function fileOfTest(test: Mocha.Runnable): string | undefined {
  if (test.file !== undefined) return test.file;
  for (let suite = test.parent; suite !== undefined; suite = suite.parent) if (suite.file !== undefined) return suite.file;
  return undefined;
}

/** The file a hook belongs to: its own, its suite's, or (root-level hooks have none) the test it ran for. */
export function fileOfHook(hook: Mocha.Hook): string | undefined {
  return hook.file ?? hook.parent?.file ?? hook.ctx?.currentTest?.file;
}
