/**
 * The whole fixture suite (passing, failing, skipped, todo, nested and duplicate names,
 * unicode and long names, async, a timeout, console output, and every file-level
 * failure) on Jest 29 and 30, with workers and in band, compared with Jest's own
 * `--json` report of the same run.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesInEvents, filesInReport, payloadsOf, testsInEvents, testsInReport } from './support/events.js';
import {
  INJECTED_REPORTERS,
  JEST_VERSIONS,
  MODES,
  removeRunProjects,
  runJest,
  type JestRun,
  type JestVersion,
  type Mode,
} from './support/jest-run.js';

afterAll(removeRunProjects);

const combos = JEST_VERSIONS.flatMap((version) => (Object.keys(MODES) as Mode[]).map((mode) => ({ version, mode })));
const runs = new Map<string, JestRun>();
const key = (version: JestVersion, mode: Mode): string => `${version} ${mode}`;

beforeAll(async () => {
  // One run per combination, all at once: every assertion below reads these.
  await Promise.all(
    combos.map(async ({ version, mode }) => {
      runs.set(key(version, mode), await runJest({ fixture: 'suite', version, args: [...MODES[mode], ...INJECTED_REPORTERS] }));
    }),
  );
});

describe.each(combos)('jest $version, $mode', ({ version, mode }) => {
  const run = (): JestRun => runs.get(key(version, mode))!;
  const file = (name: string): string => join(run().dir, 'tests', name);

  it('writes only valid events, and Jest wrote its report', () => {
    expect(run().readErrors).toEqual([]);
    expect(run().events.every((event) => event.eventType !== 'unknown')).toBe(true);
    expect(run().json).toBeDefined();
    expect(run().process.code).toBe(1);
  });

  it('reports the same files with the same statuses as --json', () => {
    const report = filesInReport(run().json!);
    expect(Object.keys(report)).toHaveLength(12);
    expect(filesInEvents(run().events)).toEqual(report);
    expect(
      payloadsOf(run().events, 'testFileStart')
        .map((start) => start.filePath)
        .sort(),
    ).toEqual(Object.keys(report).sort());
  });

  it('reports the same tests, suite chains and statuses as --json', () => {
    const tests = testsInReport(run().json!);
    expect(tests.length).toBe(run().json!.numTotalTests);
    expect(testsInEvents(run().events)).toEqual(tests);
    // Each test once: nothing for the orchestrator to deduplicate in a run without retries.
    expect(payloadsOf(run().events, 'testCase')).toHaveLength(tests.length);
  });

  it('sends runStart first and runComplete last, once each, with the totals of --json', () => {
    const { events, json } = run();
    expect(events[0]?.eventType).toBe('runStart');
    expect(events.at(-1)?.eventType).toBe('runComplete');
    expect(payloadsOf(events, 'runStart')).toHaveLength(1);
    expect(payloadsOf(events, 'runComplete')).toHaveLength(1);
    const [start] = payloadsOf(events, 'runStart');
    expect(start).toMatchObject({ runner: 'jest', runnerVersion: version, cwd: run().dir, totalFiles: 12 });
    const [complete] = payloadsOf(events, 'runComplete');
    expect(complete).toMatchObject({
      runner: 'jest',
      pid: start!.pid,
      status: 'FAIL',
      totals: {
        files: json!.numTotalTestSuites,
        tests: json!.numTotalTests,
        passed: json!.numPassedTests,
        failed: json!.numFailedTests,
        skipped: json!.numPendingTests + json!.numTodoTests,
      },
    });
    expect(complete!.interrupted).toBeUndefined();
  });

  it('orders each file: testFileStart, its tests and output, then testFileResult', () => {
    const seen = new Map<string, string>();
    for (const event of run().events) {
      expect(event.eventType).not.toBe('adapterError');
      if (
        event.eventType === 'runStart' ||
        event.eventType === 'runComplete' ||
        event.eventType === 'unknown' ||
        event.eventType === 'adapterError'
      )
        continue;
      const { filePath } = event.payload;
      const state = seen.get(filePath);
      if (event.eventType === 'testFileStart') expect(state).toBeUndefined();
      else expect(state, `${event.eventType} of ${filePath}`).toBe('started');
      seen.set(filePath, event.eventType === 'testFileResult' ? 'finished' : 'started');
    }
    expect([...seen.values()].every((state) => state === 'finished')).toBe(true);
  });

  it('runs the files where the mode says (the pid a test prints)', () => {
    const [start] = payloadsOf(run().events, 'runStart');
    const pidLine = payloadsOf(run().events, 'stdoutChunk').find((chunk) => chunk.chunk.startsWith('worker pid '));
    const testPid = Number(pidLine!.chunk.slice('worker pid '.length));
    if (mode === 'inBand') expect(testPid).toBe(start!.pid);
    else expect(testPid).not.toBe(start!.pid);
  });

  it('fills in skipped and todo tests, keeping Jest’s word for them', () => {
    const skipped = payloadsOf(run().events, 'testCase').filter((test) => test.filePath === file('skipped.test.js'));
    expect(skipped.map((test) => [test.testName, test.status, test.runnerStatus])).toEqual(
      expect.arrayContaining([
        ['runs', 'PASS', 'passed'],
        ['skipped with test.skip', 'SKIP', 'pending'],
        ['skipped with xit', 'SKIP', 'pending'],
        ['written later', 'SKIP', 'todo'],
        ['inside a skipped describe', 'SKIP', 'pending'],
      ]),
    );
    expect(skipped).toHaveLength(5);
    expect(filesInEvents(run().events)[file('all-skipped.test.js')]).toBe('SKIP');
  });

  it('keeps suite chains, duplicate names in different describes, unicode and long names', () => {
    const passing = payloadsOf(run().events, 'testCase').filter((test) => test.filePath === file('passing.test.js'));
    const sameName = passing.filter((test) => test.testName === 'same name');
    expect(sameName.map((test) => test.ancestorTitles)).toEqual(
      expect.arrayContaining([
        ['math', 'addition'],
        ['math', 'subtraction'],
      ]),
    );
    expect(sameName.map((test) => test.suiteName).sort()).toEqual(['addition', 'subtraction']);
    expect(passing.find((test) => test.testName === 'émoji ✅ and ümlauts')).toMatchObject({
      ancestorTitles: ['ünïcödé 名前 🚀'],
      status: 'PASS',
    });
    const long = passing.find((test) => test.testName.startsWith('a very long name'));
    expect(long!.testName.length).toBeGreaterThan(300);
    expect(long!.testName.endsWith('end')).toBe(true);
    expect(passing.find((test) => test.testName === 'adds')!.duration).toBeGreaterThanOrEqual(0);
  });

  it('describes assertion failures: message, expected/actual, stack and location', () => {
    const failing = payloadsOf(run().events, 'testCase').filter((test) => test.filePath === file('failing.test.js'));
    const toBe = failing.find((test) => test.testName === 'toBe mismatch')!;
    expect(toBe.status).toBe('FAIL');
    expect(toBe.error).toContain('expect(received).toBe(expected)');
    expect(toBe.error).not.toContain('    at ');
    expect(toBe.failure).toMatchObject({ expected: '3', actual: '2', location: { file: file('failing.test.js'), line: 3, column: 19 } });
    expect(toBe.failure!.stack).toContain('failing.test.js:3:19');
    expect(toBe.failure!.message).not.toContain('\u001b[');
    const toEqual = failing.find((test) => test.testName === 'toEqual mismatch')!;
    expect(toEqual.failure!.expected).toContain('b: [ 1, 3 ]');
    expect(toEqual.failure!.actual).toContain('b: [ 1, 2 ]');
    const plain = failing.find((test) => test.testName === 'throws a plain error')!;
    expect(plain.error).toBe('Error: plain failure');
    expect(plain.failure!.location).toMatchObject({ file: file('failing.test.js'), line: 9 });
    expect(failing.find((test) => test.testName === 'times out')!.error).toContain('Exceeded timeout of 50 ms');
    expect(failing.find((test) => test.testName === 'passes between failures')!.status).toBe('PASS');
  });

  it('fails the files that could not run, with their error', () => {
    const results = Object.fromEntries(payloadsOf(run().events, 'testFileResult').map((result) => [result.filePath, result]));
    const expectations: [string, string | RegExp][] = [
      // Jest 29 wraps the module in a function before compiling it, so V8 words it differently.
      ['syntax-error.test.js', /Unexpected end of input|missing \) after argument list/],
      ['import-throws.test.js', 'this module throws when imported'],
      ['missing-import.test.js', "Cannot find module './helpers/does-not-exist'"],
      ['describe-throws.test.js', 'thrown in a describe body'],
      ['empty.test.js', 'Your test suite must contain at least one test.'],
      ['after-all.test.js', 'afterAll exploded'],
    ];
    for (const [name, message] of expectations) {
      const text = typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message);
      expect(results[file(name)], name).toMatchObject({ status: 'FAIL', error: { message: text } });
      expect(results[file(name)]!.error!.message).not.toContain('\u001b[');
    }
    expect(
      payloadsOf(run().events, 'testCase').filter((test) => [...expectations.slice(0, 5)].some(([name]) => test.filePath === file(name))),
    ).toEqual([]);
  });

  it('keeps tests passed under a failing afterAll, and fails tests under a failing beforeAll', () => {
    const tests = payloadsOf(run().events, 'testCase');
    expect(tests.find((test) => test.filePath === file('after-all.test.js'))).toMatchObject({
      testName: 'passes before the afterAll',
      status: 'PASS',
    });
    const beforeAll = tests.filter((test) => test.filePath === file('before-all.test.js'));
    expect(beforeAll.map((test) => [test.testName, test.status])).toEqual(
      expect.arrayContaining([
        ['first', 'FAIL'],
        ['second', 'FAIL'],
        ['outside the failing hook', 'PASS'],
      ]),
    );
    expect(beforeAll.find((test) => test.testName === 'first')!.error).toContain('beforeAll exploded');
    // The hook error is on its tests; the file fails because they did.
    expect(filesInEvents(run().events)[file('before-all.test.js')]).toBe('FAIL');
  });

  it('maps the console buffer to output chunks of its file, by stream, in order', () => {
    const output = run()
      .events.filter((event) => event.eventType === 'stdoutChunk' || event.eventType === 'stderrChunk')
      .map((event) => [event.eventType, event.payload.filePath, event.payload.chunk, event.payload.testName]);
    const consoleFile = file('console.test.js');
    expect(output).toEqual([
      ['stdoutChunk', consoleFile, 'log at file top level\n', undefined],
      ['stdoutChunk', consoleFile, 'log from a test { answer: 42 }\n', undefined],
      ['stdoutChunk', consoleFile, 'info line\n', undefined],
      ['stdoutChunk', consoleFile, 'debug line\n', undefined],
      ['stderrChunk', consoleFile, 'warn line\n', undefined],
      ['stderrChunk', consoleFile, 'error line\n', undefined],
      ['stdoutChunk', consoleFile, expect.stringMatching(/^worker pid \d+\n$/), undefined],
    ]);
  });

  it('does not capture direct process.stdout/stderr writes: they reach the terminal', () => {
    const chunks = [...payloadsOf(run().events, 'stdoutChunk'), ...payloadsOf(run().events, 'stderrChunk')];
    expect(chunks.some((chunk) => chunk.chunk.includes('raw '))).toBe(false);
    expect(run().process.stdout).toContain('raw stdout write\n');
    expect(run().process.stderr).toContain('raw stderr write\n');
  });

  it('leaves Jest’s own output alone', () => {
    expect(run().process.stderr).toMatch(/Tests: +6 failed, 5 skipped, 1 todo, 13 passed, 25 total/);
    expect(run().process.stdout + run().process.stderr).not.toContain('3pio:');
  });
});
