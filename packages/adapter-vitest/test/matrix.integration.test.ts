/**
 * The main comparison: the matrix fixture run by every Vitest version and pool, with the
 * adapter injected as the orchestrator does it and Vitest's JSON reporter in the same run.
 * One run per combination, shared by all assertions about it.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureProject } from '../../../tools/test-kit/index.js';
import { eventsOf, testKey } from './support/events.js';
import { statusOf } from './support/json-report.js';
import { MATRIX, fixtureProject, injectedRun, type InjectedRun } from './support/vitest-runs.js';

const file = (run: InjectedRun, name: string) => join(run.projectDir, 'tests', name);

/**
 * Tests a failing beforeAll kept from running: Vitest says `skipped` and keeps the error
 * on the suite (vitest#4820); the adapter reports them as the failures they are.
 */
const HOOK_VICTIMS = [
  'beforeAll fails > first victim',
  'beforeAll fails > second victim',
  'beforeAll fails > nested under the failing hook > third victim',
  'victim of the file-level hook',
];

describe.concurrent.each(MATRIX)('vitest $version, pool $pool', ({ version, pool }) => {
  let project: FixtureProject | undefined;
  let run: InjectedRun;

  beforeAll(async () => {
    project = await fixtureProject('matrix', version);
    run = await injectedRun(project, pool);
  });

  afterAll(async () => {
    await project?.remove();
  });

  it('leaves the run as Vitest decides it: failed, exit code 1, its own output intact', () => {
    expect(run.process.code).toBe(1);
    expect(run.process.stdout).toContain('Test Files');
    // Injected, the adapter prints nothing: not even the hand-configured notice.
    expect(run.process.stdout).not.toContain('test events written');
    expect(`${run.process.stdout}${run.process.stderr}`).not.toContain('adapter-vitest');
  });

  it('reports the same files as the JSON reporter, each started once and finished once', () => {
    const jsonFiles = run.json.testResults.map((result) => result.name).sort();
    expect(jsonFiles).toHaveLength(11);
    expect(
      eventsOf(run.events, 'testFileStart')
        .map((payload) => payload.filePath)
        .sort(),
    ).toEqual(jsonFiles);
    expect(
      eventsOf(run.events, 'testFileResult')
        .map((payload) => payload.filePath)
        .sort(),
    ).toEqual(jsonFiles);
  });

  it('reports the same tests with the same suite chains and statuses as the JSON reporter', () => {
    const expected = run.json.testResults.flatMap((result) =>
      result.assertionResults.map((test) => {
        const key = testKey(test.ancestorTitles, test.title);
        return { file: result.name, key, status: HOOK_VICTIMS.includes(key) ? 'FAIL' : statusOf(test.status) };
      }),
    );
    const actual = eventsOf(run.events, 'testCase').map((payload) => ({
      file: payload.filePath,
      key: testKey(payload.ancestorTitles, payload.testName),
      status: payload.status,
    }));
    const order = (a: { file: string; key: string }, b: { file: string; key: string }) =>
      `${a.file}\0${a.key}`.localeCompare(`${b.file}\0${b.key}`);
    expect(actual.sort(order)).toEqual(expected.sort(order));
    expect(expected).toHaveLength(27);
  });

  it('totals what the JSON reporter counts, with the hook victims as failures', () => {
    const { totals, status } = eventsOf(run.events, 'runComplete')[0]!;
    const victims = HOOK_VICTIMS.length;
    expect(totals).toEqual({
      files: run.json.testResults.length,
      tests: run.json.numTotalTests,
      passed: run.json.numPassedTests,
      failed: run.json.numFailedTests + victims,
      skipped: run.json.numPendingTests + run.json.numTodoTests - victims,
    });
    expect(status).toBe('FAIL');
  });

  it('sends runStart first and runComplete last, once each, and every file event between its start and its result', () => {
    const types = run.events.map((event) => event.eventType);
    expect(types[0]).toBe('runStart');
    expect(types.at(-1)).toBe('runComplete');
    expect(types.filter((type) => type === 'runStart')).toHaveLength(1);
    expect(types.filter((type) => type === 'runComplete')).toHaveLength(1);
    const started = new Set<string>();
    const finished = new Set<string>();
    for (const event of run.events) {
      expect(event.eventType).not.toBe('adapterError');
      if (
        event.eventType === 'runStart' ||
        event.eventType === 'runComplete' ||
        event.eventType === 'unknown' ||
        event.eventType === 'adapterError'
      )
        continue;
      const { filePath } = event.payload;
      if (event.eventType === 'testFileStart') started.add(filePath);
      else expect(started.has(filePath), `${event.eventType} before testFileStart of ${filePath}`).toBe(true);
      expect(finished.has(filePath), `${event.eventType} after testFileResult of ${filePath}`).toBe(false);
      if (event.eventType === 'testFileResult') finished.add(filePath);
    }
    const start = eventsOf(run.events, 'runStart')[0]!;
    expect(start).toMatchObject({ runner: 'vitest', runnerVersion: version, cwd: run.projectDir, totalFiles: 11 });
    expect(start.pid).toBe(eventsOf(run.events, 'runComplete')[0]!.pid);
    // The files by name, so a consumer can name those that never ran: the same files that gave results.
    expect([...(start.testFiles ?? [])].sort()).toEqual([...finished].sort());
  });

  it('sends each test as it finishes, not batched at the end of its file', () => {
    // The worker sends task updates at most every 100 ms, and Vitest 3.2 only when a later
    // update comes: basic.test.js ends with two tests of 400 ms each, so the results before
    // them leave the worker when the first one ends, at least 400 ms before the file ends.
    // An adapter that batched per file would write them all at once.
    const basic = file(run, 'basic.test.js');
    const firstTest = run.events.find((event) => event.eventType === 'testCase' && event.payload.filePath === basic)!;
    const fileEnd = run.events.find((event) => event.eventType === 'testFileResult' && event.payload.filePath === basic)!;
    expect(fileEnd.timestamp! - firstTest.timestamp!).toBeGreaterThanOrEqual(300);
  });

  it('gives failures their message, stack, expected/actual and location, without ANSI escapes', () => {
    const tests = eventsOf(run.events, 'testCase');
    const diff = tests.find((payload) => payload.testName === 'fails with a diff')!;
    expect(diff.failure).toMatchObject({
      message: "expected { name: 'widget', size: 3 } to deeply equal { name: 'widget', size: 4 }",
      location: { file: file(run, 'basic.test.js'), line: 8 },
    });
    expect(diff.failure!.expected).toContain('size');
    expect(diff.failure!.actual).toContain('size');
    expect(diff.failure!.diff).toMatch(/- Expected[\s\S]*\+ Received/);
    expect(diff.error).toBe(diff.failure!.message);
    expect(tests.find((payload) => payload.testName === 'times out')!.failure!.message).toMatch(/Test timed out in 50ms/);
    expect(tests.find((payload) => payload.testName === 'rejects')!.failure!.message).toBe('async rejection');
    expect(JSON.stringify(run.events)).not.toMatch(/\\u001b\[/);
    // Vitest's own output of the same run is coloured: the stripping is the adapter's doing.
    expect(run.process.stdout).toContain('\u001b[');
  });

  it('keeps skipped and todo apart in runnerStatus, and times the tests that ran', () => {
    const byKey = new Map(eventsOf(run.events, 'testCase').map((payload) => [testKey(payload.ancestorTitles, payload.testName), payload]));
    expect(byKey.get('is skipped')).toMatchObject({ status: 'SKIP', runnerStatus: 'skipped' });
    expect(byKey.get('is a todo')).toMatchObject({ status: 'SKIP', runnerStatus: 'todo' });
    expect(byKey.get('skips itself at run time')).toMatchObject({ status: 'SKIP', runnerStatus: 'skipped' });
    expect(byKey.get('outer > inner > is skipped in inner')).toMatchObject({
      status: 'SKIP',
      suiteName: 'inner',
      ancestorTitles: ['outer', 'inner'],
    });
    expect(byKey.get('passes at the top level')!.duration).toBeGreaterThanOrEqual(0);
    expect(byKey.get('async > times out')!.duration).toBeGreaterThanOrEqual(45);
    expect(byKey.get('first group > has the same name')!.status).toBe('PASS');
    expect(byKey.get('second group > has the same name')!.status).toBe('FAIL');
  });

  it('turns tests under a failing beforeAll into failures carrying the hook error, and fails their file with it', () => {
    const tests = eventsOf(run.events, 'testCase');
    for (const key of HOOK_VICTIMS) {
      const victim = tests.find((payload) => testKey(payload.ancestorTitles, payload.testName) === key)!;
      expect(victim).toMatchObject({ status: 'FAIL', runnerStatus: 'skipped' });
      expect(victim.failure!.message).toMatch(/^Not run: a hook of .* failed: (file-level )?setup went wrong/);
      expect(victim.failure!.stack).toContain('setup went wrong');
    }
    const results = new Map(eventsOf(run.events, 'testFileResult').map((payload) => [payload.filePath, payload]));
    expect(results.get(file(run, 'before-all-fails.test.js'))).toMatchObject({
      status: 'FAIL',
      error: { message: 'setup went wrong (in describe "beforeAll fails")', location: { line: 5 } },
    });
    expect(results.get(file(run, 'file-before-all-fails.test.js'))).toMatchObject({
      status: 'FAIL',
      error: { message: 'file-level setup went wrong' },
    });
    expect(tests.find((payload) => payload.testName === 'still passes')!.status).toBe('PASS');
  });

  it('fails files that never ran a test, with the reason, whether or not Vitest ended them', () => {
    const results = new Map(eventsOf(run.events, 'testFileResult').map((payload) => [payload.filePath, payload]));
    const failedWith = (name: string) => {
      const result = results.get(file(run, name))!;
      expect(result.status, name).toBe('FAIL');
      return result.error!.message;
    };
    expect(failedWith('syntax-error.test.js')).toMatch(/Parse failure/);
    expect(failedWith('import-throws.test.js')).toBe('this module refuses to load');
    expect(failedWith('describe-throws.test.js')).toBe('describe body exploded');
    expect(failedWith('empty.test.js')).toMatch(/^No test suite found in file/);
    expect(failedWith('after-all-fails.test.js')).toBe('teardown went wrong (in describe "afterAll fails")');
    // The test itself passed: Vitest leaves it passed, so does the adapter.
    expect(eventsOf(run.events, 'testCase').find((payload) => payload.testName === 'passes before the teardown')!.status).toBe('PASS');
    // Where the JSON reporter has a file message, the adapter has it too.
    for (const result of run.json.testResults) {
      if (result.message) expect(results.get(result.name)!.error!.message).toContain(result.message.split('\n')[0]);
    }
  });

  it('puts an unhandled error into runComplete.errors and into the file it came from', () => {
    const errors = eventsOf(run.events, 'runComplete')[0]!.errors!;
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^nobody handled me\n\(an unhandled error Vitest caught in tests\/unhandled\.test\.js/);
    const unhandled = eventsOf(run.events, 'testFileResult').filter((payload) => payload.filePath === file(run, 'unhandled.test.js'));
    // The JSON reporter calls this file passed; its one test did pass.
    expect(run.json.testResults.find((result) => result.name === file(run, 'unhandled.test.js'))!.status).toBe('passed');
    expect(unhandled.at(-1)).toMatchObject({
      status: 'FAIL',
      error: { message: 'nobody handled me (in an unhandled error of this file)' },
    });
  });

  it('attributes console output to its file and test; direct stream writes stay on the runner output', () => {
    const consoleFile = file(run, 'console.test.js');
    const chunks = [
      ...eventsOf(run.events, 'stdoutChunk').map((payload) => ({ stream: 'stdout', ...payload })),
      ...eventsOf(run.events, 'stderrChunk').map((payload) => ({ stream: 'stderr', ...payload })),
    ];
    expect(chunks).toEqual(
      expect.arrayContaining([
        { stream: 'stdout', filePath: consoleFile, chunk: 'module level log\n' },
        {
          stream: 'stdout',
          filePath: consoleFile,
          chunk: 'log from the test\n',
          testName: 'logs to stdout and stderr',
          ancestorTitles: ['console'],
        },
        {
          stream: 'stderr',
          filePath: consoleFile,
          chunk: 'error from the test\n',
          testName: 'logs to stdout and stderr',
          ancestorTitles: ['console'],
        },
      ]),
    );
    expect(chunks).toHaveLength(3);
    // Vitest does not intercept process.stdout/stderr.write in its workers (3.2 and 4.x,
    // threads and forks): the bytes reach the runner's own streams, unattributed.
    expect(run.process.stdout).toContain('direct stdout write');
    expect(run.process.stderr).toContain('direct stderr write');
  });
});
