import { describe, expect, it } from 'vitest';
import { IpcEventSchema, KnownEventSchema, eventSchemas, knownEventTypes, type KnownEvent } from '../src/index.js';

const failure = {
  message: 'expected 1 to be 2',
  stack: 'Error: expected 1 to be 2\n    at sum.test.ts:3:7',
  expected: '2',
  actual: '1',
  diff: '- 2\n+ 1',
  location: { file: 'sum.test.ts', line: 3, column: 7 },
};

/** The smallest valid event of each type (the seed's fields) and one with every field. */
const examples: Record<string, { minimal: KnownEvent; full: KnownEvent }> = {
  runStart: {
    minimal: { eventType: 'runStart', payload: {} },
    full: {
      eventType: 'runStart',
      timestamp: 1,
      payload: { runner: 'jest', runnerVersion: '30.5.2', pid: 42, cwd: '/p', argv: ['--ci'], totalFiles: 3 },
    },
  },
  testFileStart: {
    minimal: { eventType: 'testFileStart', payload: { filePath: 'a.test.js' } },
    full: { eventType: 'testFileStart', timestamp: 1, payload: { filePath: 'a.test.js' } },
  },
  testCase: {
    minimal: { eventType: 'testCase', payload: { filePath: 'a.test.js', testName: 'adds', status: 'PASS' } },
    full: {
      eventType: 'testCase',
      timestamp: 1,
      payload: {
        filePath: 'a.test.js',
        testName: 'adds',
        suiteName: 'sum',
        ancestorTitles: ['math', 'sum'],
        status: 'FAIL',
        runnerStatus: 'failed',
        duration: 1.5,
        error: 'expected 1 to be 2',
        failure,
      },
    },
  },
  testFileResult: {
    minimal: { eventType: 'testFileResult', payload: { filePath: 'a.test.js', status: 'FAIL' } },
    full: { eventType: 'testFileResult', timestamp: 1, payload: { filePath: 'a.test.js', status: 'FAIL', duration: 3, error: failure } },
  },
  stdoutChunk: {
    minimal: { eventType: 'stdoutChunk', payload: { filePath: 'a.test.js', chunk: 'hi\n' } },
    full: {
      eventType: 'stdoutChunk',
      timestamp: 1,
      payload: { filePath: 'a.test.js', chunk: 'hi\n', testName: 'adds', ancestorTitles: ['math'] },
    },
  },
  stderrChunk: {
    minimal: { eventType: 'stderrChunk', payload: { filePath: 'a.test.js', chunk: 'oops\n' } },
    full: { eventType: 'stderrChunk', timestamp: 1, payload: { filePath: 'a.test.js', chunk: 'oops\n', testName: 'adds' } },
  },
  runComplete: {
    minimal: { eventType: 'runComplete', payload: {} },
    full: {
      eventType: 'runComplete',
      timestamp: 1,
      payload: {
        runner: 'jest',
        pid: 42,
        status: 'FAIL',
        duration: 10,
        interrupted: false,
        totals: { files: 1, tests: 2, passed: 1, failed: 1, skipped: 0 },
        errors: [failure],
        lostEvents: 2,
      },
    },
  },
  adapterError: {
    minimal: { eventType: 'adapterError', payload: { runner: 'jest', hook: 'onTestCaseResult', message: 'boom' } },
    full: {
      eventType: 'adapterError',
      timestamp: 1,
      payload: {
        runner: 'jest',
        hook: 'onTestCaseResult',
        message: 'boom',
        stack: 'TypeError: boom\n    at x (/p/x.js:1:1)',
        filePath: 'a.test.js',
        project: 'unit',
        testName: 'adds',
        ancestorTitles: ['math'],
      },
    },
  },
};

describe('event schemas', () => {
  it('covers every known event type with an example', () => {
    expect(Object.keys(examples).sort()).toEqual([...knownEventTypes].sort());
  });

  for (const [type, { minimal, full }] of Object.entries(examples)) {
    describe(type, () => {
      it('accepts the seed fields alone and every optional field', () => {
        expect(KnownEventSchema.parse(minimal)).toEqual(minimal);
        expect(KnownEventSchema.parse(full)).toEqual(full);
        expect(eventSchemas[type as keyof typeof eventSchemas].parse(full)).toEqual(full);
      });

      it('ignores fields it does not know', () => {
        const withExtra = { ...full, extra: true, payload: { ...full.payload, future: 'field' } };
        expect(KnownEventSchema.parse(withExtra)).toEqual(full);
      });

      it('rejects a payload that is not an object', () => {
        expect(KnownEventSchema.safeParse({ eventType: type, payload: 'x' }).success).toBe(false);
      });
    });
  }

  it('requires the seed fields', () => {
    expect(KnownEventSchema.safeParse({ eventType: 'testCase', payload: { filePath: 'a', status: 'PASS' } }).success).toBe(false);
    expect(KnownEventSchema.safeParse({ eventType: 'testFileResult', payload: { filePath: 'a' } }).success).toBe(false);
    expect(KnownEventSchema.safeParse({ eventType: 'stdoutChunk', payload: { filePath: 'a' } }).success).toBe(false);
    expect(KnownEventSchema.safeParse({ eventType: 'testFileStart', payload: { filePath: '' } }).success).toBe(false);
  });

  it('knows only PASS, FAIL and SKIP as statuses', () => {
    const withStatus = (status: string) => ({ eventType: 'testCase', payload: { filePath: 'a', testName: 't', status } });
    for (const status of ['PASS', 'FAIL', 'SKIP']) expect(KnownEventSchema.safeParse(withStatus(status)).success).toBe(true);
    for (const status of ['pass', 'TODO', '', 'PENDING']) expect(KnownEventSchema.safeParse(withStatus(status)).success).toBe(false);
  });

  it('rejects negative durations and non-numeric timestamps', () => {
    expect(
      KnownEventSchema.safeParse({ ...examples.testCase!.minimal, payload: { ...examples.testCase!.minimal.payload, duration: -1 } })
        .success,
    ).toBe(false);
    expect(KnownEventSchema.safeParse({ ...examples.testCase!.minimal, timestamp: 'now' }).success).toBe(false);
  });

  it('has an unknown-event shape in the IpcEvent union', () => {
    const unknown = { eventType: 'unknown', originalEventType: 'coverage', reason: 'unknownEventType', payload: { lines: 3 } };
    expect(IpcEventSchema.parse(unknown)).toEqual(unknown);
  });
});
