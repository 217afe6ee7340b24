import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcEvent } from '@3pio/ipc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunState } from '../src/model/run-state.js';
import { junitSeconds, junitXml, xmlAttribute, xmlText } from '../src/reports/junit-xml.js';
import type { RunInfo } from '../src/reports/run-report.js';
import { writeStreamed } from '../src/reports/temporary-file.js';
import { checkJunit, junitCounts } from './support/junit.js';

const root = '/p';
const info = (): RunInfo => ({
  command: 'npm test',
  startedAt: new Date('2026-01-02T03:04:05.678Z'),
  finishedAt: new Date('2026-01-02T03:04:07.000Z'),
  status: 'FAILED',
});

type Status = 'PASS' | 'FAIL' | 'SKIP';
const start = (filePath: string, run?: string): IpcEvent => ({
  eventType: 'testFileStart',
  payload: { filePath },
  ...(run === undefined ? {} : { run }),
});
const test = (filePath: string, testName: string, status: Status, extra: object = {}): IpcEvent => ({
  eventType: 'testCase',
  payload: { filePath, testName, status, ancestorTitles: ['suite'], duration: 3, ...extra },
});
const result = (filePath: string, status: Status, extra: object = {}): IpcEvent => ({
  eventType: 'testFileResult',
  payload: { filePath, status, duration: 12, ...extra },
});

function stateOf(events: IpcEvent[], reason = 'the command exited with code 1 before it finished'): RunState {
  const state = new RunState(root);
  for (const event of events) state.apply(event);
  state.finalize(reason);
  return state;
}

const render = (state: RunState) => [...junitXml(state, info())].join('');

describe('junit.xml', () => {
  it('is valid JUnit XML whose counts, read back, are the run’s totals; file errors and unfinished files are errors', async () => {
    const state = stateOf([
      { eventType: 'runStart', payload: { runner: 'jest', runnerVersion: '30.5.2' } },
      start('/p/a.test.js'),
      test('/p/a.test.js', 'adds', 'PASS'),
      test('/p/a.test.js', 'divides', 'FAIL', {
        ancestorTitles: ['math', 'division'],
        failure: {
          message: 'expected 1 to be 2',
          stack: 'AssertionError: expected 1 to be 2\n    at /p/a.test.js:3:5',
          expected: '2',
          actual: '1',
        },
      }),
      test('/p/a.test.js', 'later', 'SKIP', { runnerStatus: 'todo' }),
      { eventType: 'stdoutChunk', payload: { filePath: '/p/a.test.js', chunk: 'printed\n' } },
      { eventType: 'stderrChunk', payload: { filePath: '/p/a.test.js', chunk: 'warned\n' } },
      result('/p/a.test.js', 'FAIL'),
      start('/p/broken.test.js'),
      result('/p/broken.test.js', 'FAIL', {
        error: { message: "Cannot find module './gone'", stack: "Error: Cannot find module './gone'\n    at x" },
      }),
      start('/p/cut.test.js'),
      test('/p/cut.test.js', 'before the crash', 'PASS'),
      { eventType: 'runComplete', payload: { errors: [{ message: 'Unhandled rejection: boom' }] } },
    ]);
    const xml = render(state);
    const counts = await junitCounts(xml);
    const { tests } = state.totals();
    // Two file-level errors (broken, cut) and one outside any file: errors, on cases of their own.
    expect(counts).toEqual({
      cases: tests.passed + tests.failed + tests.skipped + 3,
      failures: tests.failed,
      errors: 3,
      skipped: tests.skipped,
      declared: { tests: tests.passed + tests.failed + tests.skipped + 3, failures: tests.failed, errors: 3, skipped: tests.skipped },
      suites: { count: 4, tests: 7, failures: 1, errors: 3, skipped: 1 },
    });
    expect(tests).toEqual({ passed: 2, failed: 1, skipped: 1 });
    const divides = await checkJunit(xml, 'string(//testcase[@name="divides"]/@classname)');
    expect(divides.value).toBe('a.test.js › math › division');
    expect((await checkJunit(xml, 'string(//testcase[@name="divides"]/failure/@message)')).value).toBe('expected 1 to be 2');
    expect((await checkJunit(xml, 'string(//testcase[@name="divides"]/failure)')).value).toContain('at /p/a.test.js:3:5');
    expect((await checkJunit(xml, 'string(//testcase[@name="later"]/skipped/@message)')).value).toBe('todo');
    expect((await checkJunit(xml, 'string(//testsuite[@name="a.test.js"]/system-out)')).value).toBe('printed\n');
    expect((await checkJunit(xml, 'string(//testsuite[@name="a.test.js"]/system-err)')).value).toBe('warned\n');
    expect((await checkJunit(xml, 'string(//testsuite[@name="broken.test.js"]/testcase/error/@message)')).value).toBe(
      "Cannot find module './gone'",
    );
    expect((await checkJunit(xml, 'string(//testsuite[@name="cut.test.js"]/testcase/error/@message)')).value).toBe(
      'did not finish: the command exited with code 1 before it finished',
    );
    expect((await checkJunit(xml, 'string(//testsuite[@name="a.test.js"]/properties/property[@name="runner"]/@value)')).value).toBe(
      'jest 30.5.2',
    );
    expect((await checkJunit(xml, 'string(//testsuite[@name="a.test.js"]/@timestamp)')).value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect((await checkJunit(xml, 'string(/testsuites/@time)')).value).toBe('1.322');
  });

  it('names a file run by two runs with its run, like the console', async () => {
    const state = stateOf([
      { eventType: 'runStart', run: 'r1', payload: { runner: 'jest' } },
      { eventType: 'runStart', run: 'r2', payload: { runner: 'jest' } },
      { ...test('/p/a.test.js', 'x', 'PASS'), run: 'r1' },
      { ...test('/p/a.test.js', 'x', 'FAIL'), run: 'r2' },
    ]);
    const xml = render(state);
    expect((await checkJunit(xml, 'concat(//testsuite[1]/@name, "|", //testsuite[2]/@name)')).value).toBe(
      'a.test.js [run 1]|a.test.js [run 2]',
    );
    expect((await junitCounts(xml)).failures).toBe(1);
  });

  it('keeps hostile names, messages and output valid XML, and reads back every character XML can hold unchanged', async () => {
    const legal = `q"u'o<t>e&s ]]> ]]&gt; 😀 日本 \u00e9\t\r\n\u2028 end`;
    const illegal = '\u0000\u0007\u001b[31m\u007f\u0085\ud800 lone \udc00 \ufffe\uffff';
    const state = stateOf([
      start('/p/h.test.js'),
      test('/p/h.test.js', legal, 'PASS', { ancestorTitles: [legal] }),
      test('/p/h.test.js', illegal, 'FAIL', {
        ancestorTitles: [],
        failure: { message: `</failure><injected/>]]>${illegal}`, stack: `]]><![CDATA[ x ]]>${illegal}` },
      }),
      { eventType: 'stdoutChunk', payload: { filePath: '/p/h.test.js', chunk: `]]></system-out><x/>${illegal}${legal}` } },
      result('/p/h.test.js', 'FAIL'),
    ]);
    const xml = render(state);
    const counts = await junitCounts(xml);
    expect(counts.cases).toBe(2);
    expect(counts.failures).toBe(1);
    expect((await checkJunit(xml, 'string(//testcase[1]/@name)')).value).toBe(legal);
    expect((await checkJunit(xml, 'string(//testcase[1]/@classname)')).value).toBe(`h.test.js › ${legal}`);
    // What XML cannot hold is shown as escapes, never dropped silently.
    const shown = '\\u0000\\u0007\\u001b[31m\\u007f\\u0085\\ud800 lone \\udc00 \\ufffe\\uffff';
    expect((await checkJunit(xml, 'string(//testcase[2]/@name)')).value).toBe(shown);
    expect((await checkJunit(xml, 'string(//testcase[2]/failure)')).value).toContain(`]]><![CDATA[ x ]]>${shown}`);
    expect((await checkJunit(xml, 'string(//system-out)')).value).toBe(`]]></system-out><x/>${shown}${legal}`);
    expect((await checkJunit(xml, 'count(//injected) + count(//x)')).value).toBe('0');
  });

  it('escapes text and attributes', () => {
    expect(xmlText('a]]>b<&\r')).toBe('a]]&gt;b&lt;&amp;&#13;');
    expect(xmlAttribute(`"'\n\t<`)).toBe('"&quot;&apos;&#10;&#9;&lt;"');
    expect(xmlText('\u001b\ud83d\ude00\ud83d')).toBe('\\u001b😀\\ud83d');
    expect(junitSeconds(1234.5678)).toBe('1.235');
    expect(junitSeconds(undefined)).toBe('0');
    expect(junitSeconds(Number.NaN)).toBe('0');
  });
});

describe('junit.xml of a large run', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), '3pio-junit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('renders 100,000 tests in small chunks, streams them to an owner-only file, and stays valid', async () => {
    const events: IpcEvent[] = [];
    for (let f = 0; f < 100; f += 1) {
      const filePath = `/p/f${f}.test.js`;
      events.push(start(filePath));
      for (let t = 0; t < 1000; t += 1) events.push(test(filePath, `test ${t}`, t % 100 === 0 ? 'FAIL' : t % 10 === 0 ? 'SKIP' : 'PASS'));
      events.push(result(filePath, 'FAIL'));
    }
    const state = stateOf(events);
    let chunks = 0;
    let largest = 0;
    function* counted(): Generator<string> {
      for (const chunk of junitXml(state, info())) {
        chunks += 1;
        largest = Math.max(largest, chunk.length);
        yield chunk;
      }
    }
    const path = join(dir, 'junit.xml');
    await writeStreamed(path, counted());
    // Never one string: a chunk per test case at most a few hundred characters long.
    expect(chunks).toBeGreaterThan(100_000);
    expect(largest).toBeLessThan(2000);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['junit.xml']);
    const counts = await junitCounts(readFileSync(path, 'utf8'));
    expect(counts.cases).toBe(100_000);
    expect(counts.declared).toEqual({ tests: 100_000, failures: 1000, errors: 0, skipped: 9000 });
  });

  it('replaces a file only once the new one is whole: a failure midway leaves the old one and no temporary file', async () => {
    const path = join(dir, 'junit.xml');
    writeFileSync(path, 'old');
    function* failing(): Generator<string> {
      yield 'x'.repeat(200_000);
      throw new Error('rendering failed');
    }
    await expect(writeStreamed(path, failing())).rejects.toThrow('rendering failed');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['junit.xml']);
    await writeStreamed(path, ['new ', 'text']);
    expect(readFileSync(path, 'utf8')).toBe('new text');
  });
});
