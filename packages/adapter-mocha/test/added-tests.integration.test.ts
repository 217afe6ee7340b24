/**
 * Tests added at run time (`suite.addTest(new Mocha.Test(…))` in a hook) have no `file`
 * in Mocha, which still runs and counts them: the adapter reports them under their
 * suite's file, every one of them, whichever test ran before.
 */
import { describe, expect, it } from 'vitest';
import { finalFileResults, ofType } from './support/events.js';
import { MATRIX, injectedMatrixRuns } from './support/mocha-project.js';

const runOf = injectedMatrixRuns('added');

describe.each(MATRIX)('mocha $version, $mode', ({ version, mode }) => {
  const get = () => runOf(version, mode);

  it('reports every test Mocha ran, added ones under their suite’s file, with Mocha’s verdicts', () => {
    const { events, json, file } = get();
    const verdict = (fullTitle: string) =>
      json.failures.some((test) => test.fullTitle === fullTitle)
        ? 'FAIL'
        : json.pending.some((test) => test.fullTitle === fullTitle)
          ? 'SKIP'
          : 'PASS';
    const truth = json.tests.map((test) => [test.file ?? file('added.spec.js'), test.fullTitle, verdict(test.fullTitle)]);
    // Mocha's own record of the added tests has no file: the fixture is what makes this test mean something.
    expect(json.tests.filter((test) => test.file === undefined).map((test) => test.title)).toEqual([
      'added first',
      'added second',
      'added failing',
    ]);
    const reported = ofType(events, 'testCase').map((test) => [
      test.filePath,
      [...(test.ancestorTitles ?? []), test.testName].join(' '),
      test.status,
    ]);
    expect(reported.sort()).toEqual(truth.sort());
  });

  it('counts them in the file’s result and the run’s totals, and leaves no run-level error', () => {
    const { events, json, file } = get();
    expect(finalFileResults(events).get(file('added.spec.js'))?.status).toBe('FAIL');
    const [complete] = ofType(events, 'runComplete');
    expect(complete?.totals).toMatchObject({ tests: json.stats.tests, passed: json.stats.passes, failed: json.stats.failures });
    expect(complete?.errors).toBeUndefined();
  });
});
