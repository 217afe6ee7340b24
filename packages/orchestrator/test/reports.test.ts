import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcEvent } from '@3pio/ipc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunState } from '../src/model/run-state.js';
import { renderFileReport } from '../src/reports/file-report.js';
import { codeBlock, inlineCode, plain } from '../src/reports/markdown.js';
import { ReportWriter } from '../src/reports/report-writer.js';
import { renderRunReport, type RunInfo } from '../src/reports/run-report.js';

const root = '/p';
const events: IpcEvent[] = [
  { eventType: 'testFileStart', payload: { filePath: '/p/src/math.test.js' } },
  {
    eventType: 'testCase',
    payload: { filePath: '/p/src/math.test.js', testName: 'adds', ancestorTitles: ['math'], status: 'PASS', duration: 3 },
  },
  {
    eventType: 'testCase',
    payload: {
      filePath: '/p/src/math.test.js',
      testName: 'divides `a|b`',
      ancestorTitles: ['math', 'division'],
      status: 'FAIL',
      duration: 5,
      failure: {
        message: 'values differ',
        expected: '0.5',
        actual: '0',
        stack:
          'Error: x\n    at /p/src/math.test.js:9:3\n    at run (/p/node_modules/jest-circus/build/a.js:1:1)\n    at new Promise (<anonymous>)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
        location: { file: '/p/src/math.test.js', line: 9, column: 3 },
      },
    },
  },
  {
    eventType: 'testCase',
    payload: { filePath: '/p/src/math.test.js', testName: 'later', ancestorTitles: ['math'], status: 'SKIP', runnerStatus: 'todo' },
  },
  { eventType: 'stdoutChunk', payload: { filePath: '/p/src/math.test.js', chunk: 'printed ``` fences\n', testName: 'adds' } },
  { eventType: 'testFileResult', payload: { filePath: '/p/src/math.test.js', status: 'FAIL', duration: 20 } },
  {
    eventType: 'testFileResult',
    payload: { filePath: '/p/src/broken.test.js', status: 'FAIL', error: { message: 'SyntaxError: Unexpected token' } },
  },
  { eventType: 'testFileStart', payload: { filePath: '/p/src/ok.test.js' } },
  { eventType: 'testCase', payload: { filePath: '/p/src/ok.test.js', testName: 'works', status: 'PASS' } },
  { eventType: 'testFileResult', payload: { filePath: '/p/src/ok.test.js', status: 'PASS' } },
];

function state(): RunState {
  const s = new RunState(root);
  for (const event of events) s.apply(event);
  return s;
}

const info: RunInfo = {
  command: 'npm test',
  startedAt: new Date('2026-11-26T10:00:00Z'),
  finishedAt: new Date('2026-11-26T10:00:02Z'),
  status: 'FAILED',
  exitCode: 1,
};

describe('markdown helpers', () => {
  it('fences text so that no backticks inside can close the block', () => {
    expect(codeBlock('a ``` b')).toBe('````\na ``` b\n````');
    expect(inlineCode('x`y')).toBe('``x`y``');
    expect(plain('a|b *c* [d](e)\nf')).toBe('a\\|b \\*c\\* \\[d\\](e) f');
  });
});

describe('file report', () => {
  it('shows the verdict, each failure in full, every test by suite, and the output', () => {
    const s = state();
    const text = renderFileReport(s.fileAt('/p/src/math.test.js')!, 'src/math.test.js', root);
    expect(text).toContain('# src/math.test.js');
    expect(text).toContain('**FAILED** · 3 tests: 1 passed, 1 failed, 1 skipped · 20 ms');
    expect(text).toContain('### ✕ math › division › divides \\`a\\|b\\`');
    expect(text).toContain('Expected:\n```\n0.5\n```\nReceived:\n```\n0\n```');
    expect(text).toContain('Location: `src/math.test.js:9:3`');
    expect(text).toContain(
      '```\nError: x\n    at /p/src/math.test.js:9:3\n    … 3 frames in node_modules and Node internals left out\n```',
    );
    expect(text).toContain('### math\n\n- ✓ adds (3 ms)\n- ○ later (todo)');
    expect(text).toContain('### math › division\n\n- ✕ divides');
    expect(text).toContain('stdout (adds):\n````\nprinted ``` fences\n````');
    expect(text.indexOf('## Failures')).toBeLessThan(text.indexOf('## Tests'));
  });

  it('does not repeat expected and received when the message shows them', () => {
    const s = new RunState(root);
    s.apply({
      eventType: 'testCase',
      payload: {
        filePath: '/p/x.test.js',
        testName: 't',
        status: 'FAIL',
        failure: { message: 'Expected: 2\nReceived: 1', expected: '2', actual: '1' },
      },
    });
    expect(renderFileReport(s.fileAt('/p/x.test.js')!, 'x.test.js', root)).not.toContain('Expected:\n```');
  });

  it('shows a file-level error and says when no tests ran', () => {
    const text = renderFileReport(state().fileAt('/p/src/broken.test.js')!, 'src/broken.test.js', root);
    expect(text).toContain('## File error\n\n```\nSyntaxError: Unexpected token\n```');
    expect(text).toContain('No tests were reported for this file.');
  });

  it('says when a file did not finish', () => {
    const s = state();
    s.apply({ eventType: 'testFileStart', payload: { filePath: '/p/src/crash.test.js' } });
    s.finalize('the runner was killed by SIGKILL');
    const text = renderFileReport(s.fileAt('/p/src/crash.test.js')!, 'src/crash.test.js', root);
    expect(text).toContain('**INCOMPLETE**');
    expect(text).toContain('> **This file did not finish:** the runner was killed by SIGKILL.');
  });
});

describe('run report', () => {
  it('summarises the run and links every file, failures first', () => {
    const text = renderRunReport(state(), info);
    expect(text).toContain('- Command: `npm test`');
    expect(text).toContain('- Status: **FAILED** (exit code 1)');
    expect(text).toContain('- Started: 2026-11-26T10:00:00.000Z · finished: 2026-11-26T10:00:02.000Z (2.0 s)');
    expect(text).toContain('- Files: 3 (1 passed, 2 failed, 0 skipped)');
    expect(text).toContain('- Tests: 4 (2 passed, 1 failed, 1 skipped)');
    const rows = text.split('\n').filter((line) => line.includes('](reports/'));
    expect(rows).toEqual([
      '| FAIL | [src/broken.test.js](reports/src/broken.test.js/index.md) | 0 | 0 | 0 | 0 | – |',
      '| FAIL | [src/math.test.js](reports/src/math.test.js/index.md) | 3 | 1 | 1 | 1 | 20 ms |',
      '| PASS | [src/ok.test.js](reports/src/ok.test.js/index.md) | 1 | 1 | 0 | 0 | – |',
    ]);
  });

  it('lists each run, where it ran and with what, and which run each file belongs to', () => {
    const s = new RunState(root);
    for (const event of [
      { eventType: 'runStart', run: 'a', payload: { runner: 'jest', runnerVersion: '30.5.2', root: '/p/packages/a', argv: ['--ci'] } },
      {
        eventType: 'runStart',
        run: 'b',
        payload: { runner: 'mocha', root: '/p', argv: [], notes: ['watch mode turned off: 3pio runs the tests once'] },
      },
      { eventType: 'testCase', run: 'a', payload: { filePath: '/p/packages/a/x.test.js', testName: 't', status: 'FAIL' } },
      { eventType: 'testFileResult', run: 'a', payload: { filePath: '/p/packages/a/x.test.js', status: 'FAIL' } },
      { eventType: 'runComplete', run: 'a', payload: { status: 'FAIL' } },
      { eventType: 'testCase', run: 'b', payload: { filePath: '/p/packages/a/x.test.js', testName: 't', status: 'PASS' } },
      { eventType: 'testFileResult', run: 'b', payload: { filePath: '/p/packages/a/x.test.js', status: 'PASS' } },
      { eventType: 'runComplete', run: 'b', payload: { status: 'PASS' } },
    ] satisfies IpcEvent[])
      s.apply(event);
    const text = renderRunReport(s, info);
    expect(text).toContain(
      [
        '| 1 | FAIL | packages/a | jest 30.5.2 | `--ci` | 1 | 1 | 0 | 1 | 0 |',
        '| 2 | PASS | . | mocha | (none) | 1 | 1 | 1 | 0 | 0 |',
        '',
        '- Run 2: watch mode turned off: 3pio runs the tests once',
      ].join('\n'),
    );
    expect(text.split('\n').filter((line) => line.includes('](reports/'))).toEqual([
      '| FAIL | [packages/a/x.test.js](reports/packages/a/x.test.js/index.md) | 1 | 1 | 0 | 1 | 0 | – |',
      '| PASS | [packages/a/x.test.js](reports/packages/a/x.test.js/index.2.md) | 2 | 1 | 1 | 0 | 0 | – |',
    ]);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; !condition();) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('ReportWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), '3pio-reports-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes owner-only reports in the tree, and only what changed, in batches', async () => {
    const s = new RunState(root);
    const writer = new ReportWriter(dir, s, () => info, 20);
    for (const event of events) writer.changed(s.apply(event));
    // Nothing is written synchronously: the batch goes out when the interval ends.
    expect(readdirSync(dir)).toEqual([]);
    await until(() => existsSync(join(dir, 'test-run.md')));
    const report = join(dir, 'reports', 'src', 'math.test.js', 'index.md');
    expect(readFileSync(report, 'utf8')).toContain('divides');
    expect(statSync(report).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'reports')).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(dir, 'test-run.md'), 'utf8')).toContain('**FAILED**');
    expect(readdirSync(join(dir, 'reports', 'src')).sort()).toEqual(['broken.test.js', 'math.test.js', 'ok.test.js']);
    expect(readdirSync(join(dir, 'reports', 'src', 'ok.test.js'))).toEqual(['index.md']);

    const before = statSync(report).mtimeMs;
    writer.changed(s.apply({ eventType: 'testCase', payload: { filePath: '/p/src/ok.test.js', testName: 'more', status: 'PASS' } }));
    await writer.flush();
    expect(statSync(report).mtimeMs).toBe(before);
    expect(readFileSync(join(dir, 'reports', 'src', 'ok.test.js', 'index.md'), 'utf8')).toContain('more');
  });

  it('writes through temporary files no test file name can predict or stand in the way of', async () => {
    const s = new RunState(root);
    const writer = new ReportWriter(dir, s, () => info, 20);
    // The report of `/p/a` is `a/index.md`; a test file named like a temporary file of it gets a directory there.
    const paths = ['/p/a', `/p/a/index.md.${process.pid}.tmp`, `/p/a/index.md.tmp`];
    for (const filePath of paths) writer.changed(s.apply({ eventType: 'testFileStart', payload: { filePath } }));
    await writer.flush();
    for (const filePath of paths) expect(existsSync(writer.reportPath(s.fileAt(filePath) ?? fail(filePath)))).toBe(true);
    // Nothing left behind but the reports and their directories.
    expect(readdirSync(join(dir, 'reports', 'a')).sort()).toEqual(['index.md', 'index.md.tmp', `index.md.${process.pid}.tmp`].sort());
  });
});

describe('rendering user-sized data', () => {
  // Each once overflowed the stack by spreading the data into a call (Math.max(...runs), lines.push(...tests)).
  it('fences text with hundreds of thousands of backtick runs', () => {
    const text = '`a'.repeat(300_000);
    expect(codeBlock(text).startsWith('```\n')).toBe(true);
    expect(inlineCode(text).startsWith('``')).toBe(true);
  });

  it('renders a file with 100,000 tests and a run with 200,000 run-level errors', () => {
    const s = new RunState(root);
    for (let i = 0; i < 100_000; i += 1) {
      s.apply({
        eventType: 'testCase',
        payload: { filePath: '/p/many.test.js', testName: `t${i}`, ancestorTitles: ['s'], status: 'PASS' },
      });
    }
    s.apply({ eventType: 'runComplete', payload: { errors: Array.from({ length: 200_000 }, (_, i) => ({ message: `e${i}` })) } });
    const report = renderFileReport(s.fileAt('/p/many.test.js')!, 'many.test.js', root);
    expect(report).toContain('- ✓ t99999');
    expect(renderRunReport(s, info)).toContain('e199999');
  });
});

function fail(what: string): never {
  throw new Error(`no record of ${what}`);
}
