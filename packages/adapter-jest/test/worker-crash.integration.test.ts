/**
 * A test that kills its process. With workers, Jest retries the file (up to 3 more
 * times) and repeats its test events: the adapter reports each test once and counts it
 * once. In band, the whole run dies: the adapter still closes the file and the run.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadsOf } from './support/events.js';
import { INJECTED_REPORTERS, JEST_VERSIONS, MODES, removeRunProjects, runJest, type JestRun } from './support/jest-run.js';

afterAll(removeRunProjects);

describe.each(JEST_VERSIONS)('jest %s', (version) => {
  let workers: JestRun;
  let inBand: JestRun;
  beforeAll(async () => {
    [workers, inBand] = await Promise.all([
      // A second reporter records how often Jest really calls onTestCaseResult.
      runJest({ fixture: 'worker-crash', version, args: [...MODES.workers, '--reporters=./call-recorder.js', ...INJECTED_REPORTERS] }),
      runJest({ fixture: 'worker-crash', version, args: [...MODES.inBand, ...INJECTED_REPORTERS] }),
    ]);
  });

  describe('with workers, a file retried after its worker crashed', () => {
    const crashFile = (): string => join(workers.dir, 'tests', 'crash.test.js');

    it('was reported to reporters more than once by Jest', async () => {
      const calls = (await readFile(join(workers.dir, 'test-case-calls.jsonl'), 'utf8')).trim().split('\n');
      const repeated = calls
        .map((line) => JSON.parse(line) as { title: string })
        .filter((call) => call.title === 'passes before the crash');
      expect(repeated.length).toBeGreaterThan(1);
    });

    it('has each of its tests once in the events', () => {
      const tests = payloadsOf(workers.events, 'testCase').filter((test) => test.filePath === crashFile());
      expect(tests.map((test) => [test.testName, test.status])).toEqual([['passes before the crash', 'PASS']]);
    });

    it('fails with the retry error, and the other file is unaffected', () => {
      const results = payloadsOf(workers.events, 'testFileResult');
      expect(results).toHaveLength(2);
      expect(results.find((result) => result.filePath === crashFile())).toMatchObject({
        status: 'FAIL',
        error: { message: expect.stringContaining('child process exceptions, exceeding retry limit') },
      });
      expect(results.find((result) => result.filePath.endsWith('healthy.test.js'))?.status).toBe('PASS');
      expect(workers.json!.testResults.find((file) => file.name === crashFile())?.status).toBe('failed');
    });

    it('counts every test once in runComplete', () => {
      const [complete] = payloadsOf(workers.events, 'runComplete');
      // Jest's own report drops the crashed file's tests (numTotalTests is 1); the totals
      // count what the events reported, each test once.
      expect(workers.json!.numTotalTests).toBe(1);
      expect(complete).toMatchObject({ status: 'FAIL', totals: { files: 2, tests: 2, passed: 2, failed: 0, skipped: 0 } });
      expect(payloadsOf(workers.events, 'runComplete')).toHaveLength(1);
    });
  });

  describe('in band, where process.exit ends Jest itself', () => {
    it('Jest exits with the test’s code and no report', () => {
      expect(inBand.process.code).toBe(3);
      expect(inBand.json).toBeUndefined();
    });

    it('still closes the started file and the run', () => {
      const crashFile = join(inBand.dir, 'tests', 'crash.test.js');
      expect(payloadsOf(inBand.events, 'testCase').map((test) => [test.filePath, test.testName, test.status])).toEqual([
        [crashFile, 'passes before the crash', 'PASS'],
      ]);
      expect(payloadsOf(inBand.events, 'testFileResult')).toEqual([
        { filePath: crashFile, status: 'FAIL', error: { message: expect.stringContaining('exited before this file finished') } },
      ]);
      expect(inBand.events.at(-1)).toMatchObject({
        eventType: 'runComplete',
        payload: { status: 'FAIL', interrupted: true, totals: { files: 1, tests: 1, passed: 1 } },
      });
    });
  });
});
