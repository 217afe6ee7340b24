import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createAdapterSender,
  failureFromError,
  guardHook,
  guardListener,
  handConfiguredNotice,
  locationFromStack,
  renderValue,
  TestCaseLines,
} from '../src/adapter/index.js';
import { MAX_FAILURE_TEXT_CHARS } from '../src/adapter/failure-details.js';
import { MAX_OUTPUT_CHUNK_CHARS } from '../src/adapter/output-pieces.js';
import { isRunId, parseLine } from '../src/index.js';
import { readAllEvents } from '../src/testing/index.js';
import { useScratch, waitFor } from './helpers.js';

const scratch = useScratch('3pio-adapter-', ['THREEPIO_IPC_PATH', 'THREEPIO_DEBUG_LOG', 'THREEPIO_IPC_LOCK']);

const start = { eventType: 'testFileStart', payload: { filePath: 'a.test.js' } } as const;

describe('createAdapterSender', () => {
  it('writes to THREEPIO_IPC_PATH when it is set', () => {
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'run', 'ipc.jsonl');
    const sender = createAdapterSender(scratch.dir);
    expect(sender).toMatchObject({ ipcPath: join(scratch.dir, 'run', 'ipc.jsonl'), handConfigured: false });
    sender.send(start);
    expect(parseLine(readFileSync(sender.ipcPath, 'utf8').trim()).event).toMatchObject(start);
  });

  it('picks a new file under ./.3pio/ipc when configured by hand, and keeps it out of the environment', () => {
    const sender = createAdapterSender(scratch.dir);
    expect(sender.handConfigured).toBe(true);
    // The user's tests run in this process or its children: they must not see 3pio's variable.
    expect(process.env.THREEPIO_IPC_PATH).toBeUndefined();
    const name = sender.ipcPath.slice(join(scratch.dir, '.3pio', 'ipc').length + 1);
    expect(isRunId(name.replace(/\.jsonl$/, ''))).toBe(true);
    expect(readFileSync(join(scratch.dir, '.3pio', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    sender.send(start);
    expect(readFileSync(sender.ipcPath, 'utf8')).toContain('"testFileStart"');
    expect(createAdapterSender(scratch.dir).ipcPath).not.toBe(sender.ipcPath);
  });

  it('configured by hand, writes nothing through a .3pio that is a link, and counts every event as failed', () => {
    const project = join(scratch.dir, 'linked');
    const elsewhere = join(scratch.dir, 'elsewhere');
    mkdirSync(project);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(project, '.3pio'));
    const sender = createAdapterSender(project);
    sender.send(start);
    expect(sender.failures).toBe(1);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('writes to the file it is given before THREEPIO_IPC_PATH', () => {
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'env.jsonl');
    const sender = createAdapterSender(scratch.dir, { ipcPath: join(scratch.dir, 'given.jsonl') });
    expect(sender).toMatchObject({ ipcPath: join(scratch.dir, 'given.jsonl'), handConfigured: false });
  });

  it('stamps every event with the run begun last, lines from TestCaseLines included', () => {
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'ipc.jsonl');
    const sender = createAdapterSender(scratch.dir);
    sender.send(start);
    const first = sender.beginRun();
    sender.send(start);
    sender.sendTestCaseLine(new TestCaseLines('/p/a.test.js', ['a'], sender.run).line('works', 'PASS', 'passed', 3));
    const second = sender.beginRun();
    expect(second).not.toBe(first);
    sender.send(start);
    sender.joinRun('elsewhere');
    sender.send(start);
    const runs = readFileSync(sender.ipcPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => parseLine(line).event?.run);
    expect(runs).toEqual([undefined, first, first, second, 'elsewhere']);
  });

  it('writes a testCase line at once when it does not batch', () => {
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'ipc.jsonl');
    const sender = createAdapterSender(scratch.dir);
    sender.sendTestCaseLine(new TestCaseLines('/p/a.test.js', ['a']).line('works', 'PASS', 'passed', 3));
    expect(parseLine(readFileSync(sender.ipcPath, 'utf8').trim()).event?.payload).toMatchObject({ testName: 'works', duration: 3 });
  });

  it('takes an unusable THREEPIO_IPC_LOCK for the default instead of failing the run, and says so in the debug log', () => {
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'ipc.jsonl');
    process.env.THREEPIO_IPC_LOCK = 'on';
    process.env.THREEPIO_DEBUG_LOG = join(scratch.dir, 'debug.log');
    const sender = createAdapterSender(scratch.dir);
    sender.send(start);
    expect(parseLine(readFileSync(sender.ipcPath, 'utf8').trim()).event).toMatchObject(start);
    expect(readFileSync(join(scratch.dir, 'debug.log'), 'utf8')).toContain(
      'THREEPIO_IPC_LOCK must be auto, always or never; got "on". Using auto.',
    );
  });

  it('never throws when the file cannot be written, and says why in the debug log', () => {
    writeFileSync(join(scratch.dir, 'file'), '');
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'file', 'ipc.jsonl');
    process.env.THREEPIO_DEBUG_LOG = join(scratch.dir, 'debug.log');
    const sender = createAdapterSender(scratch.dir);
    expect(() => sender.send(start)).not.toThrow();
    sender.send(start);
    expect(sender.failures).toBe(2);
    expect(readFileSync(join(scratch.dir, 'debug.log'), 'utf8')).toMatch(
      /\[pid \d+\] 3pio could not write a testFileStart event to .*file\/ipc\.jsonl: Cannot open the IPC file/,
    );
  });
});

describe('events too big for one line', () => {
  it('keeps a test whose failure is megabytes: each text cut, with a note, and the line read back', async () => {
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'big.jsonl');
    const sender = createAdapterSender(scratch.dir);
    const huge = 'x'.repeat(3_000_000);
    const error = Object.assign(new Error(huge), { expected: 'e'.repeat(2_000_000), actual: '😀'.repeat(1_000_000) });
    const failure = failureFromError(error, '/p/a.test.js');
    sender.send({
      eventType: 'testCase',
      payload: { filePath: '/p/a.test.js', testName: 'explodes', ancestorTitles: [], status: 'FAIL', error: failure.message, failure },
    });
    const { events, errors } = await readAllEvents(sender.ipcPath);
    expect(errors).toEqual([]);
    const sent = events[0]?.payload as { failure: Record<string, string> };
    for (const field of ['message', 'stack', 'expected', 'actual']) {
      expect(sent.failure[field]!.length, field).toBeLessThan(MAX_FAILURE_TEXT_CHARS + 100);
      expect(sent.failure[field], field).toMatch(/… \[3pio: \d+ more characters left out; the runner's output has them all\]$/);
    }
    expect(sent.failure.message!.startsWith('x'.repeat(1000))).toBe(true);
    // Cut between the two halves of a surrogate pair it would leave a lone half: it does not.
    expect(sent.failure.actual!.split('\n')[0]).toMatch(/^(😀)+$/u);
  });

  it('sends output of megabytes as several events, in order, that join into the original', async () => {
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'output.jsonl');
    const sender = createAdapterSender(scratch.dir);
    const chunk = `${'a'.repeat(MAX_OUTPUT_CHUNK_CHARS - 1)}😀${'b'.repeat(2 * MAX_OUTPUT_CHUNK_CHARS)}\n`;
    sender.send({ eventType: 'stdoutChunk', payload: { filePath: '/p/a.test.js', chunk, testName: 'logs a lot' } });
    sender.send({ eventType: 'stderrChunk', payload: { filePath: '/p/a.test.js', chunk: 'small\n' } });
    const { events, errors } = await readAllEvents(sender.ipcPath);
    expect(errors).toEqual([]);
    const pieces = events
      .filter((event) => event.eventType === 'stdoutChunk')
      .map((event) => event.payload as { chunk: string; testName: string });
    expect(pieces.length).toBe(4);
    expect(pieces.map((piece) => piece.chunk).join('')).toBe(chunk);
    expect(pieces.every((piece) => piece.testName === 'logs a lot' && piece.chunk.length <= MAX_OUTPUT_CHUNK_CHARS)).toBe(true);
    expect(events.at(-1)).toMatchObject({ eventType: 'stderrChunk', payload: { chunk: 'small\n' } });
  });
});

describe('createAdapterSender with batchWindowMs', () => {
  const passed = (testName: string) =>
    ({ eventType: 'testCase', payload: { filePath: '/p/a.test.js', testName, status: 'PASS' } }) as const;
  const linesOf = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);
  const namesOf = (path: string) => linesOf(path).map((line) => (parseLine(line).event?.payload as { testName?: string }).testName);

  function batchingSender(windowMs: number) {
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'ipc.jsonl');
    return createAdapterSender(scratch.dir, { batchWindowMs: windowMs });
  }

  it('holds passing tests back, and writes them, in order, with the next failure', () => {
    const sender = batchingSender(60_000);
    sender.send(passed('one'));
    sender.send(passed('two'));
    expect(linesOf(sender.ipcPath)).toEqual([]);
    sender.send({ eventType: 'testCase', payload: { filePath: '/p/a.test.js', testName: 'three', status: 'FAIL' } });
    expect(namesOf(sender.ipcPath)).toEqual(['one', 'two', 'three']);
  });

  it('holds testCase lines back like passing tests, in order with the events around them', () => {
    const sender = batchingSender(60_000);
    const lines = new TestCaseLines('/p/a.test.js', []);
    sender.send(passed('one'));
    sender.sendTestCaseLine(lines.line('two', 'PASS', 'passed'));
    sender.sendTestCaseLine(lines.line('three', 'SKIP', 'pending'));
    expect(linesOf(sender.ipcPath)).toEqual([]);
    sender.send({ eventType: 'testFileResult', payload: { filePath: '/p/a.test.js', status: 'PASS' } });
    expect(namesOf(sender.ipcPath)).toEqual(['one', 'two', 'three', undefined]);
  });

  it('writes a file start at once, with what is held before it', () => {
    const sender = batchingSender(60_000);
    sender.send(passed('one'));
    sender.send({ eventType: 'testFileStart', payload: { filePath: '/p/b.test.js' } });
    expect(linesOf(sender.ipcPath)).toHaveLength(2);
  });

  it('writes everything held at the end of a file and of the run', () => {
    const sender = batchingSender(60_000);
    sender.send(passed('one'));
    sender.send({ eventType: 'testFileResult', payload: { filePath: '/p/a.test.js', status: 'PASS' } });
    expect(linesOf(sender.ipcPath)).toHaveLength(2);
    sender.send(passed('two'));
    sender.send({ eventType: 'runComplete', payload: {} });
    expect(linesOf(sender.ipcPath)).toHaveLength(4);
  });

  it('writes a held event within the window even when nothing else is sent', async () => {
    const sender = batchingSender(20);
    sender.send(passed('alone'));
    await waitFor(() => linesOf(sender.ipcPath).length === 1, 'the held event to be written');
    expect(namesOf(sender.ipcPath)).toEqual(['alone']);
  });

  it('does not let a batch grow without bound', () => {
    const sender = batchingSender(60_000);
    const long = 'x'.repeat(1000);
    for (let i = 0; i < 100; i += 1) sender.send({ eventType: 'stdoutChunk', payload: { filePath: '/p/a.test.js', chunk: long } });
    expect(linesOf(sender.ipcPath).length).toBeGreaterThan(0);
  });

  it.each([
    ['exits with process.exit()', 'process.exit(0)'],
    ['ends on its own', ''],
  ])('writes what it holds when the process %s', async (_how, ending) => {
    const ipcPath = join(scratch.dir, 'ipc.jsonl');
    const script = [
      `const { createAdapterSender } = require(${JSON.stringify(require.resolve('../dist/adapter/index.js'))});`,
      'const sender = createAdapterSender(process.cwd(), { batchWindowMs: 60000 });',
      `sender.send(${JSON.stringify(passed('held at exit'))});`,
      ending,
    ].join('\n');
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, THREEPIO_IPC_PATH: ipcPath }, stdio: 'ignore' });
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(namesOf(ipcPath)).toEqual(['held at exit']);
  });

  it('counts every event of a batch it could not write', () => {
    writeFileSync(join(scratch.dir, 'file'), '');
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'file', 'ipc.jsonl');
    const sender = createAdapterSender(scratch.dir, { batchWindowMs: 60_000 });
    sender.send(passed('one'));
    sender.send(passed('two'));
    expect(() => sender.send({ eventType: 'runComplete', payload: {} })).not.toThrow();
    expect(sender.failures).toBe(3);
  });
});

describe('guardHook', () => {
  it('runs the body, and turns what it throws into a debug log line', () => {
    process.env.THREEPIO_DEBUG_LOG = join(scratch.dir, 'debug.log');
    let ran = false;
    guardHook('Jest', 'onRunStart', () => {
      ran = true;
    });
    expect(ran).toBe(true);
    expect(() =>
      guardHook('Jest', 'onTestFileResult', () => {
        throw new TypeError('cannot read properties of undefined');
      }),
    ).not.toThrow();
    expect(readFileSync(join(scratch.dir, 'debug.log'), 'utf8')).toMatch(
      /3pio's Jest adapter failed in onTestFileResult: TypeError: cannot read properties of undefined\n\s+at /,
    );
  });
});

describe('a failed hook with a sender', () => {
  it('sends an adapterError naming the hook and what it handled, and the debug log has it too', async () => {
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'ipc.jsonl');
    process.env.THREEPIO_DEBUG_LOG = join(scratch.dir, 'debug.log');
    const sender = createAdapterSender(scratch.dir);
    sender.beginRun();
    const subject = { filePath: '/p/a.test.js', testName: 'adds', ancestorTitles: ['math'] };
    guardHook(
      'jest',
      'onTestCaseResult',
      () => {
        throw new TypeError('cannot read properties of undefined');
      },
      sender,
      () => subject,
    );
    // What the hook handled cannot be read either, and what is thrown is no Error.
    const listener = guardListener(
      'mocha',
      "the 'pass' listener",
      () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a test may make the adapter meet anything
        throw { toString: () => 'an object' };
      },
      sender,
      () => {
        throw new Error('the subject is gone too');
      },
    );
    expect(() => listener(undefined, undefined)).not.toThrow();
    const { events } = await readAllEvents(sender.ipcPath);
    expect(events).toEqual([
      {
        eventType: 'adapterError',
        run: sender.run,
        timestamp: expect.any(Number) as number,
        payload: {
          runner: 'jest',
          hook: 'onTestCaseResult',
          message: 'cannot read properties of undefined',
          stack: expect.stringMatching(/^TypeError: cannot read properties of undefined\n\s+at /) as string,
          ...subject,
        },
      },
      {
        eventType: 'adapterError',
        run: sender.run,
        timestamp: expect.any(Number) as number,
        payload: { runner: 'mocha', hook: "the 'pass' listener", message: 'an object' },
      },
    ]);
    expect(readFileSync(join(scratch.dir, 'debug.log'), 'utf8')).toContain("3pio's jest adapter failed in onTestCaseResult: TypeError");
    expect(sender.failures).toBe(0);
  });
});

describe('guardListener', () => {
  it('passes the arguments on, and turns what the listener throws into a debug log line', () => {
    process.env.THREEPIO_DEBUG_LOG = join(scratch.dir, 'debug.log');
    const seen: unknown[] = [];
    const listener = guardListener('Mocha', "the 'fail' listener", (test: string, error: Error) => {
      seen.push(test, error.message);
      throw new RangeError('mapping bug');
    });
    expect(() => listener('adds', new Error('expected 1'))).not.toThrow();
    expect(seen).toEqual(['adds', 'expected 1']);
    expect(readFileSync(join(scratch.dir, 'debug.log'), 'utf8')).toMatch(
      /3pio's Mocha adapter failed in the 'fail' listener: RangeError: mapping bug\n\s+at /,
    );
  });
});

describe('handConfiguredNotice', () => {
  it('names the file relative to the working directory when inside it, and the replay command', () => {
    expect(handConfiguredNotice('/p/.3pio/ipc/x.jsonl', '/p')).toBe(
      '3pio: test events written to .3pio/ipc/x.jsonl (reports: npx 3pio replay .3pio/ipc/x.jsonl)',
    );
    expect(handConfiguredNotice('/elsewhere/x.jsonl', '/p')).toBe(
      '3pio: test events written to /elsewhere/x.jsonl (reports: npx 3pio replay /elsewhere/x.jsonl)',
    );
  });
});

describe('failureFromError', () => {
  it('takes message and stack without ANSI escapes, and the location in the test file', () => {
    const error = new Error('\u001b[31mexpected\u001b[39m 1 to be 2');
    error.stack = [
      'Error: \u001b[31mexpected\u001b[39m 1 to be 2',
      '    at assert (/p/node_modules/chai/index.js:1:1)',
      '    at Context.<anonymous> (/p/test/sum.test.js:12:7)',
      '    at process.processImmediate (node:internal/timers:476:21)',
    ].join('\n');
    expect(failureFromError(error, '/p/test/sum.test.js')).toEqual({
      message: 'expected 1 to be 2',
      stack: expect.stringMatching(/^Error: expected 1 to be 2\n/),
      location: { file: '/p/test/sum.test.js', line: 12, column: 7 },
    });
  });

  it('renders expected and actual, and keeps a diff', () => {
    const error = Object.assign(new Error('deep equality'), { expected: { a: [1, 2] }, actual: 'text', diff: '- a\n+ b' });
    expect(failureFromError(error)).toMatchObject({ expected: '{ a: [ 1, 2 ] }', actual: 'text', diff: '- a\n+ b' });
  });

  it('leaves out expected and actual when the runner says they mean nothing', () => {
    const error = Object.assign(new Error('x'), { expected: 1, actual: 2, showDiff: false });
    expect(failureFromError(error)).not.toHaveProperty('expected');
  });

  it('copes with thrown non-errors', () => {
    expect(failureFromError('boom')).toEqual({ message: 'boom' });
    expect(failureFromError(undefined)).toEqual({ message: 'undefined' });
    expect(failureFromError({ message: 42 })).toEqual({ message: '{ message: 42 }' });
    expect(failureFromError({ code: 'E_CLOSED' })).toEqual({ message: "{ code: 'E_CLOSED' }" });
    expect(failureFromError({ toString: () => 'a custom error' })).toEqual({ message: 'a custom error' });
    const huge = failureFromError({ body: 'x'.repeat(100_000), rows: Array.from({ length: 1000 }, (_, i) => ({ i })) }).message;
    expect(huge.length).toBeLessThanOrEqual(2001);
  });
});

describe('locationFromStack', () => {
  it('reads file URLs and bare frames, and skips node_modules and node internals', () => {
    expect(locationFromStack('Error\n    at file:///p/a%20b.test.mjs:3:9', '/p/a b.test.mjs')).toEqual({
      file: '/p/a b.test.mjs',
      line: 3,
      column: 9,
    });
    expect(locationFromStack('Error\n    at node:internal/x:1:1\n    at f (/p/node_modules/x.js:1:1)\n    at /p/src/util.js:4:2')).toEqual({
      file: '/p/src/util.js',
      line: 4,
      column: 2,
    });
    expect(locationFromStack('Error\n    at Context.<anonymous> (test/a.spec.js:3:11)', join(process.cwd(), 'test/a.spec.js'))).toEqual({
      file: join(process.cwd(), 'test/a.spec.js'),
      line: 3,
      column: 11,
    });
    expect(locationFromStack(undefined)).toBeUndefined();
    expect(locationFromStack('no frames here')).toBeUndefined();
  });

  it('reads paths with parentheses and spaces, named and bare frames; skips eval and anonymous places', () => {
    const file = '/home/me/project (copy)/tests/a (1).test.js';
    const at = { file, line: 7, column: 13 };
    expect(locationFromStack(`Error: x\n    at Object.<anonymous> (${file}:7:13)`, file)).toEqual(at);
    expect(locationFromStack(`Error: x\n    at ${file}:7:13`, file)).toEqual(at);
    expect(locationFromStack(`Error: x\n    at async Promise.all (index 0)\n    at new Thing (${file}:7:13)`)).toEqual(at);
    expect(locationFromStack(`Error: x\n    at fn (file:///home/me/project%20(copy)/tests/a%20(1).test.js:7:13)`)).toEqual(at);
    expect(locationFromStack(`Error: x\ncheck@${file}:7:13`)).toEqual(at);
    // A scoped package's `@` is not the `fn@place` form: `at async` frames name their place directly.
    const runnerFrame = 'at async file:///p/node_modules/@vitest/runner/dist/chunk.js:3160:10';
    expect(locationFromStack(`Error: x\n    ${runnerFrame}\n    at async ${file}:7:13`)).toEqual(at);
    expect(locationFromStack(`Error: x\n    ${runnerFrame}`)).toBeUndefined();
    expect(locationFromStack('Error: x\n    at eval (eval at <anonymous> (/p/a.js:1:1), <anonymous>:1:1)\n    at /p/b.js:2:3')).toEqual({
      file: '/p/b.js',
      line: 2,
      column: 3,
    });
  });
});

describe('renderValue', () => {
  it('keeps strings as they are and renders the rest', () => {
    expect(renderValue('a\nb')).toBe('a\nb');
    expect(renderValue(new Map([[1, 'x']]))).toBe("Map(1) { 1 => 'x' }");
    expect(renderValue(undefined)).toBe('undefined');
  });
});
