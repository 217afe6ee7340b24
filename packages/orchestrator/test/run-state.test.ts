import type { IpcEvent } from '@3pio/ipc';
import { describe, expect, it } from 'vitest';
import { RunState } from '../src/model/run-state.js';
import { MAX_OUTPUT_CHARS_PER_FILE } from '../src/model/output-log.js';

const root = '/p';
const file = '/p/a.test.js';
const testCase = (testName: string, status: 'PASS' | 'FAIL' | 'SKIP', extra: object = {}): IpcEvent => ({
  eventType: 'testCase',
  payload: { filePath: file, testName, status, ancestorTitles: ['suite'], ...extra },
});

function stateOf(events: IpcEvent[]) {
  const state = new RunState(root);
  for (const event of events) state.apply(event);
  return state;
}

describe('RunState', () => {
  it('counts each test once, the last result winning', () => {
    const state = stateOf([
      { eventType: 'testFileStart', payload: { filePath: file } },
      testCase('t1', 'PASS'),
      testCase('t2', 'FAIL'),
      testCase('t1', 'FAIL'),
      testCase('t2', 'PASS'),
      testCase('t2', 'PASS'),
      testCase('t3', 'SKIP', { ancestorTitles: ['other'] }),
      testCase('t3', 'PASS', { ancestorTitles: ['suite'] }),
    ]);
    const record = state.fileAt(file)!;
    expect(record.counts).toEqual({ passed: 2, failed: 1, skipped: 1 });
    expect(record.testCount).toBe(4);
    expect(record.status).toBe('RUNNING');
  });

  it('keeps same-named tests with their own testIds apart, the last result of each winning', () => {
    const state = stateOf([
      { eventType: 'testFileStart', payload: { filePath: file } },
      testCase('twin', 'PASS', { testId: 'a' }),
      testCase('twin', 'FAIL', { testId: 'b' }),
      testCase('twin', 'PASS', { testId: 'c' }),
      testCase('twin', 'FAIL', { testId: 'c' }),
      // Without a testId (older events), the name is the identity.
      testCase('old', 'PASS'),
      testCase('old', 'FAIL'),
    ]);
    const record = state.fileAt(file)!;
    expect(record.counts).toEqual({ passed: 1, failed: 3, skipped: 0 });
    expect(record.testCount).toBe(4);
  });

  it('treats relative and absolute paths of one file as one file', () => {
    const state = stateOf([
      { eventType: 'testFileStart', payload: { filePath: 'a.test.js' } },
      testCase('t', 'PASS'),
      { eventType: 'testFileResult', payload: { filePath: './a.test.js', status: 'PASS' } },
    ]);
    expect([...state.files.values()].map((record) => record.filePath)).toEqual([file]);
    expect(state.fileAt(file)!.status).toBe('PASS');
  });

  it('fails a file with a failing test or a file error, whatever its reported status', () => {
    const state = stateOf([
      testCase('t', 'FAIL'),
      { eventType: 'testFileResult', payload: { filePath: file, status: 'PASS' } },
      { eventType: 'testFileResult', payload: { filePath: '/p/b.test.js', status: 'PASS', error: { message: 'afterAll threw' } } },
      { eventType: 'testFileResult', payload: { filePath: '/p/c.test.js', status: 'SKIP' } },
    ]);
    expect(state.fileAt(file)!.status).toBe('FAIL');
    expect(state.fileAt('/p/b.test.js')!.status).toBe('FAIL');
    expect(state.fileAt('/p/c.test.js')!.status).toBe('SKIP');
    // A late result for a finished file is weighed in.
    state.apply({ eventType: 'testCase', payload: { filePath: '/p/c.test.js', testName: 'late', status: 'FAIL' } });
    expect(state.fileAt('/p/c.test.js')!.status).toBe('FAIL');
  });

  it('marks files that never finished as incomplete, with the reason', () => {
    const state = stateOf([
      { eventType: 'testFileStart', payload: { filePath: file } },
      testCase('t', 'PASS'),
      { eventType: 'testFileStart', payload: { filePath: '/p/done.test.js' } },
      { eventType: 'testFileResult', payload: { filePath: '/p/done.test.js', status: 'PASS' } },
    ]);
    expect(state.finalize('the runner exited with code 1').map((f) => f.filePath)).toEqual([file]);
    expect(state.fileAt(file)).toMatchObject({ status: 'INCOMPLETE', incompleteReason: 'the runner exited with code 1' });
    expect(state.totals()).toEqual({
      files: { PASS: 1, FAIL: 0, SKIP: 0, RUNNING: 0, INCOMPLETE: 1 },
      tests: { passed: 1, failed: 0, skipped: 0 },
    });
  });

  it('pairs runStart and runComplete without run IDs as written one after the other, and keeps run-level errors', () => {
    const state = stateOf([
      { eventType: 'runStart', payload: { runner: 'jest', pid: 1 } },
      { eventType: 'runStart', payload: { runner: 'mocha', pid: 2 } },
      { eventType: 'runComplete', payload: { pid: 2, errors: [{ message: 'unhandled rejection' }] } },
      { eventType: 'unknown', originalEventType: 'coverage', reason: 'unknownEventType', payload: {} },
    ]);
    expect(state.unfinishedRuns.map((run) => run.runner)).toEqual(['jest']);
    expect(state.runErrors).toEqual([{ message: 'unhandled rejection' }]);
    expect(state.unknownEvents).toBe(1);
  });

  it('keeps each project’s run of a test file apart: its own tests, result and report', () => {
    const file = '/p/shared/both.test.js';
    const events: IpcEvent[] = [{ eventType: 'runStart', run: 'r1', payload: { runner: 'jest', root: '/p' } }];
    for (const project of ['alpha', 'beta']) {
      events.push(
        { eventType: 'testFileStart', run: 'r1', payload: { filePath: file, project } },
        {
          eventType: 'testCase',
          run: 'r1',
          payload: { filePath: file, project, testName: 'a', testId: 'r0', status: project === 'beta' ? 'FAIL' : 'PASS' },
        },
        { eventType: 'stdoutChunk', run: 'r1', payload: { filePath: file, project, chunk: `from ${project}\n` } },
        { eventType: 'testFileResult', run: 'r1', payload: { filePath: file, project, status: project === 'beta' ? 'FAIL' : 'PASS' } },
      );
    }
    const state = stateOf(events);
    const alpha = state.fileAt(file, 'r1', 'alpha')!;
    const beta = state.fileAt(file, 'r1', 'beta')!;
    expect([alpha.status, beta.status]).toEqual(['PASS', 'FAIL']);
    expect([alpha.variant, beta.variant]).toEqual([0, 1]);
    expect([alpha.output.chunks.map((chunk) => chunk.text), beta.output.chunks.map((chunk) => chunk.text)]).toEqual([
      ['from alpha\n'],
      ['from beta\n'],
    ]);
    expect(state.totals().tests).toEqual({ passed: 1, failed: 1, skipped: 0 });
    expect(state.runsOfPath(file)).toBe(1);
    expect(state.runs.get('r1')!.fileResults).toBe(2);
  });

  it('keeps each run’s tests apart, the same test file in two runs included', () => {
    const state = stateOf([
      { eventType: 'runStart', run: 'r1', payload: { runner: 'jest', root: '/p/packages/a' } },
      { eventType: 'runStart', run: 'r2', payload: { runner: 'vitest', root: '/p/packages/b' } },
      // Relative paths are relative to their run's root.
      { eventType: 'testCase', run: 'r1', payload: { filePath: 'x.test.js', testName: 't', status: 'FAIL' } },
      { eventType: 'testCase', run: 'r2', payload: { filePath: 'x.test.js', testName: 't', status: 'PASS' } },
      { eventType: 'testCase', run: 'r2', payload: { filePath: '/p/packages/a/x.test.js', testName: 't', status: 'PASS' } },
      { eventType: 'runComplete', run: 'r2', payload: { status: 'PASS' } },
    ]);
    const a = state.fileAt('/p/packages/a/x.test.js', 'r1')!;
    const aAgain = state.fileAt('/p/packages/a/x.test.js', 'r2')!;
    expect([a.counts.failed, aAgain.counts.passed, state.fileAt('/p/packages/b/x.test.js', 'r2')!.counts.passed]).toEqual([1, 1, 1]);
    expect([a.variant, aAgain.variant]).toEqual([0, 1]);
    expect(state.runsOfPath('/p/packages/a/x.test.js')).toBe(2);
    expect([...state.runs.values()].map((run) => [run.index, run.runner, run.files.length])).toEqual([
      [1, 'jest', 1],
      [2, 'vitest', 2],
    ]);
    expect(state.unfinishedRuns.map((run) => run.id)).toEqual(['r1']);
    expect(state.totals().tests).toEqual({ passed: 2, failed: 1, skipped: 0 });
  });

  it('gives events without a run ID to the run of the runStart before them', () => {
    const state = stateOf([
      { eventType: 'runStart', payload: { runner: 'jest', pid: 1 } },
      testCase('t', 'FAIL'),
      { eventType: 'runComplete', payload: { pid: 1 } },
      { eventType: 'runStart', payload: { runner: 'mocha', pid: 2 } },
      testCase('t', 'PASS'),
    ]);
    expect([...state.files.values()].map((record) => [record.run.runner, record.status === 'RUNNING' && record.counts.failed])).toEqual([
      ['jest', 1],
      ['mocha', 0],
    ]);
  });

  it('keeps output per file and stream, bounded', () => {
    const state = stateOf([
      { eventType: 'stdoutChunk', payload: { filePath: file, chunk: 'a' } },
      { eventType: 'stdoutChunk', payload: { filePath: file, chunk: 'b' } },
      { eventType: 'stderrChunk', payload: { filePath: file, chunk: 'c', testName: 't' } },
      { eventType: 'stdoutChunk', payload: { filePath: file, chunk: 'x'.repeat(MAX_OUTPUT_CHARS_PER_FILE) } },
    ]);
    const { output } = state.fileAt(file)!;
    expect(output.chunks.map(({ stream, text, testName }) => [stream, text.length, testName])).toEqual([
      ['stdout', 2, undefined],
      ['stderr', 1, 't'],
      ['stdout', MAX_OUTPUT_CHARS_PER_FILE - 3, undefined],
    ]);
    expect(output.omitted).toBe(3);
  });

  it('takes the seed’s suiteName and error when the richer fields are missing', () => {
    const state = stateOf([
      { eventType: 'testCase', payload: { filePath: file, testName: 't', suiteName: 's', status: 'FAIL', error: 'boom' } },
    ]);
    expect([...state.fileAt(file)!.tests.values()]).toEqual([
      { name: 't', ancestorTitles: ['s'], status: 'FAIL', failure: { message: 'boom' } },
    ]);
  });
});
