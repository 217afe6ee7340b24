/**
 * The main comparison: the `suite` fixture (passing, failing, skipped/pending, nested,
 * duplicate names, unicode and long names, async, a timeout, console output, root-level
 * tests of two files, failing before/beforeEach/after hooks, fail-after-pass, an empty
 * file, an ES module file) on Mocha 10 and 11, serial and --parallel, adapter injected by absolute path,
 * against Mocha's json reporter of the same run.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileOrderProblems, finalFileResults, finalTestCases, groundTruth, ofType, testKey } from './support/events.js';
import { MATRIX, injectedMatrixRuns } from './support/mocha-project.js';

const runOf = injectedMatrixRuns('suite');

/** Tests Mocha never reports because a hook of their suite failed: the adapter reports them. */
const BLOCKED_BY_HOOKS = [
  ['before-all-fails.spec.js', 'before all fails first', 'FAIL'],
  ['before-all-fails.spec.js', 'before all fails second', 'FAIL'],
  ['before-all-fails.spec.js', 'before all fails skipped anyway', 'SKIP'],
  ['before-all-fails.spec.js', 'before all fails nested under the failed before third', 'FAIL'],
  ['before-each-fails.spec.js', 'before each fails is blocked by the hook', 'FAIL'],
  ['before-each-fails.spec.js', 'before each fails is never reached', 'FAIL'],
] as const;

describe.each(MATRIX)('mocha $version, $mode', ({ version, mode }) => {
  const get = () => runOf(version, mode);

  it('exits as Mocha does and writes a clean stream: runStart first, runComplete last, files bracketed', () => {
    const { result, events, readErrors, json } = get();
    expect(result.code).toBe(json.stats.failures);
    expect(readErrors).toEqual([]);
    expect(events.filter((event) => event.eventType === 'unknown')).toEqual([]);
    expect(events[0]?.eventType).toBe('runStart');
    expect(events.at(-1)?.eventType).toBe('runComplete');
    expect(ofType(events, 'runStart')).toHaveLength(1);
    expect(ofType(events, 'runComplete')).toHaveLength(1);
    expect(ofType(events, 'runStart')[0]).toMatchObject({ runner: 'mocha', runnerVersion: version, totalFiles: 13 });
    // The files by name, so a consumer can name those that never ran: the same files that gave results.
    expect([...(ofType(events, 'runStart')[0]?.testFiles ?? [])].sort()).toEqual(
      [...new Set(ofType(events, 'testFileResult').map((result) => result.filePath))].sort(),
    );
    expect(fileOrderProblems(events)).toEqual([]);
  });

  it('reports the same tests as Mocha, with the same suite chains and statuses', () => {
    const { events, json } = get();
    const truth = groundTruth(json);
    const actual = finalTestCases(events);
    for (const [key, status] of truth.tests) expect({ key, status: actual.get(key)?.status }).toEqual({ key, status });
    // Everything else is a test Mocha skipped silently under a failed hook.
    const extra = [...actual].filter(([key]) => !truth.tests.has(key)).map(([key, test]) => [key, test.status]);
    const dir = get().file('');
    expect(extra.sort()).toEqual(BLOCKED_BY_HOOKS.map(([file, title, status]) => [testKey(join(dir, file), title), status]).sort());
    for (const [file, title] of BLOCKED_BY_HOOKS) {
      const test = actual.get(testKey(join(dir, file), title));
      if (test?.status === 'FAIL')
        expect(test).toMatchObject({
          runnerStatus: 'blocked by failed hook',
          error: expect.stringMatching(/hook .* failed: before (all|each) exploded/),
        });
    }
  });

  it('keeps suite chains apart for duplicate names and keeps unicode and long names intact', () => {
    const { events, file } = get();
    const same = ofType(events, 'testCase').filter((test) => test.testName === 'has the same name');
    expect(same.map((test) => test.ancestorTitles)).toEqual(
      expect.arrayContaining([
        ['math', 'first group'],
        ['math', 'second group'],
      ]),
    );
    expect(same.map((test) => test.suiteName).sort()).toEqual(['first group', 'second group']);
    const names = ofType(events, 'testCase')
      .filter((test) => test.filePath === file('passing.spec.js'))
      .map((test) => test.testName);
    expect(names).toContain('résumé ✓ 日本語 🚀 handles unicode names');
    expect(names).toContain(`has a very long name ${'that goes on and on '.repeat(20)}until it ends`);
    expect(ofType(events, 'testCase').find((test) => test.testName === 'multiplies')?.ancestorTitles).toEqual(['math', 'nested', 'deeper']);
  });

  it('reports failures with message, stack, expected/actual and location, and keeps the last verdict', () => {
    const { events, file } = get();
    const tests = finalTestCases(events);
    const compare = tests.get(testKey(file('failing.spec.js'), 'failures compares objects'));
    expect(compare?.failure).toMatchObject({
      expected: expect.stringContaining('3'),
      actual: expect.stringContaining('2'),
      stack: expect.stringContaining('failing.spec.js'),
      location: { file: file('failing.spec.js'), line: 5 },
    });
    expect(compare?.error).toContain('Expected values to be strictly deep-equal');
    expect(tests.get(testKey(file('timeout.spec.js'), 'slow things times out'))).toMatchObject({
      status: 'FAIL',
      error: expect.stringContaining('Timeout of 100ms exceeded'),
    });
    expect(tests.get(testKey(file('skipped.spec.js'), 'skipping is pending: no function (todo)'))).toMatchObject({
      status: 'SKIP',
      runnerStatus: 'pending',
    });
    // An ES module's stack names it by file URL: the location is still the file's path.
    expect(tests.get(testKey(file('esm.spec.mjs'), 'esm module fails'))?.failure).toMatchObject({
      expected: 'cjs',
      actual: 'esm',
      location: { file: file('esm.spec.mjs'), line: 12 },
    });
    // done() twice: Mocha reports pass, then fail, for the same test.
    const twice = ofType(events, 'testCase').filter((test) => test.filePath === file('done-twice.spec.js'));
    expect(twice.map((test) => test.status)).toEqual(['PASS', 'FAIL']);
  });

  it('closes every file, hook errors included, and counts like Mocha', () => {
    const { events, json } = get();
    const truth = groundTruth(json);
    const results = finalFileResults(events);
    const dir = get().file('');
    expect([...results.keys()].sort()).toEqual([...truth.files, join(dir, 'empty.spec.js')].sort());
    expect(results.get(join(dir, 'empty.spec.js'))?.status).toBe('SKIP');
    const tests = finalTestCases(events);
    for (const [file, result] of results) {
      const fileTests = [...tests.values()].filter((test) => test.filePath === file);
      const hooks = truth.hookFailures.get(file) ?? [];
      const expected =
        hooks.length > 0 || fileTests.some((t) => t.status === 'FAIL')
          ? 'FAIL'
          : fileTests.some((t) => t.status === 'PASS')
            ? 'PASS'
            : 'SKIP';
      expect({ file, status: result.status }).toEqual({ file, status: expected });
      for (const hook of hooks) expect(result.error?.message).toContain(hook);
    }
    expect(results.get(join(dir, 'after-all-fails.spec.js'))?.error).toMatchObject({
      message: expect.stringContaining('after all exploded'),
      location: { file: join(dir, 'after-all-fails.spec.js'), line: 3 },
    });
    const extraSkips = BLOCKED_BY_HOOKS.filter(([, , status]) => status === 'SKIP').length;
    const totals = ofType(events, 'runComplete')[0]?.totals;
    expect(totals).toEqual({
      files: 13,
      tests: json.stats.tests + BLOCKED_BY_HOOKS.length,
      passed: [...truth.tests.values()].filter((s) => s === 'PASS').length,
      failed: [...truth.tests.values()].filter((s) => s === 'FAIL').length + BLOCKED_BY_HOOKS.length - extraSkips,
      skipped: json.stats.pending + extraSkips,
    });
    expect(ofType(events, 'runComplete')[0]?.status).toBe('FAIL');
  });

  it('attributes console output to its test (or file, for a before-all hook) and still prints it', () => {
    const { events, result, file } = get();
    const chunks = events.flatMap((event) =>
      event.eventType === 'stdoutChunk' || event.eventType === 'stderrChunk'
        ? [[event.eventType, event.payload.chunk, event.payload.filePath, event.payload.testName ?? null]]
        : [],
    );
    const consoleFile = file('console.spec.js');
    const hookFile = file('before-each-fails.spec.js');
    // In order within a file; files run side by side in --parallel, so not across files.
    const chunksOf = (path: string) => chunks.filter((chunk) => chunk[2] === path);
    expect(chunksOf(hookFile)).toEqual([['stdoutChunk', 'logged after a failed hook\n', hookFile, 'logs']]);
    expect(chunks).toHaveLength(11);
    const esmFile = file('esm.spec.mjs');
    expect(chunksOf(esmFile)).toEqual([['stdoutChunk', 'printed from an ES module\n', esmFile, 'passes and prints']]);
    expect(chunksOf(consoleFile)).toEqual([
      ['stdoutChunk', 'from before all\n', consoleFile, null],
      ['stdoutChunk', 'from before each\n', consoleFile, 'logs'],
      ['stdoutChunk', 'log from test\n', consoleFile, 'logs'],
      ['stderrChunk', 'error from test\n', consoleFile, 'logs'],
      ['stdoutChunk', 'from before each\n', consoleFile, 'writes directly'],
      ['stdoutChunk', 'direct stdout write\n', consoleFile, 'writes directly'],
      ['stderrChunk', 'direct stderr buffer\n', consoleFile, 'writes directly'],
      ['stdoutChunk', 'from before each\n', consoleFile, 'logs after awaiting'],
      ['stdoutChunk', 'async log ✓\n', consoleFile, 'logs after awaiting'],
    ]);
    for (const text of ['printed while the file loads', 'log from test', 'direct stdout write', 'async log ✓'])
      expect(result.stdout).toContain(text);
    for (const text of ['error from test', 'direct stderr buffer']) expect(result.stderr).toContain(text);
  });
});
