// @ts-check
/**
 * One pretend test runner for demo.mjs: it "runs" the test file named by its first
 * argument and reports it with sendEvent(), the way a 3pio adapter does. It knows
 * nothing about where the events go: the parent put THREEPIO_IPC_PATH in its env.
 * On its way out it tells the parent how many events it sent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pkg from '../dist/index.js';

const { sendEvent } = pkg;

/** @typedef {import('../dist/index.js').KnownEvent} KnownEvent */
/** @typedef {import('../dist/index.js').TestStatus} TestStatus */
/** @typedef {{ name: string, suite: string, status: TestStatus, ms: number, error?: string, log?: string }} FakeTest */

/** @type {Record<string, FakeTest[]>} */
const TEST_FILES = {
  'src/math.test.ts': [
    { name: 'adds', suite: 'math', status: 'PASS', ms: 3, log: '2 + 2 = 4\n' },
    { name: 'divides', suite: 'math', status: 'FAIL', ms: 5, error: 'expected 0.5, received 0' },
    { name: 'handles bigint', suite: 'math', status: 'SKIP', ms: 0 },
  ],
  'src/strings.test.ts': [
    { name: 'trims', suite: 'strings', status: 'PASS', ms: 1 },
    { name: 'pads', suite: 'strings', status: 'PASS', ms: 2, log: 'padStart("7", 3) -> "007"\n' },
    { name: 'slugifies', suite: 'strings', status: 'PASS', ms: 4 },
  ],
  'src/api/client.test.ts': [
    { name: 'fetches users', suite: 'client', status: 'PASS', ms: 12, log: 'GET /users 200 (11 ms)\n' },
    { name: 'retries after a 503', suite: 'client', status: 'PASS', ms: 31 },
    { name: 'times out', suite: 'client', status: 'SKIP', ms: 0 },
  ],
  'src/components/button.test.ts': [
    { name: 'renders its label', suite: 'Button', status: 'PASS', ms: 8, log: '<button>Save</button>\n' },
    { name: 'calls onClick once', suite: 'Button', status: 'FAIL', ms: 6, error: 'expected 1 call, received 2' },
    { name: 'ignores clicks when disabled', suite: 'Button', status: 'PASS', ms: 4 },
  ],
};

const filePath = process.argv[2] ?? 'src/math.test.ts';
const tests = TEST_FILES[filePath];
if (tests === undefined) throw new Error(`demo-writer: no fake tests for ${filePath}`);

let sent = 0;
/** @param {KnownEvent} event */
function send(event) {
  sendEvent(event);
  sent += 1;
}

/** A little pause, so the four writers' events interleave in the file. */
const pause = () => sleep(5 + Math.floor(Math.random() * 25));

async function main() {
  const started = Date.now();
  send({ eventType: 'runStart', payload: { runner: 'demo-runner', pid: process.pid, totalFiles: 1 } });
  await pause();
  send({ eventType: 'testFileStart', payload: { filePath } });
  for (const test of /** @type {FakeTest[]} */ (tests)) {
    await pause();
    if (test.log !== undefined) send({ eventType: 'stdoutChunk', payload: { filePath, chunk: test.log, testName: test.name } });
    send({
      eventType: 'testCase',
      payload: {
        filePath,
        testName: test.name,
        suiteName: test.suite,
        ancestorTitles: [test.suite],
        status: test.status,
        duration: test.ms,
        ...(test.error === undefined ? {} : { error: test.error, failure: { message: test.error } }),
      },
    });
  }
  const count = (/** @type {TestStatus} */ status) => tests?.filter((test) => test.status === status).length ?? 0;
  const status = count('FAIL') > 0 ? 'FAIL' : 'PASS';
  const duration = Date.now() - started;
  await pause();
  send({ eventType: 'testFileResult', payload: { filePath, status, duration } });
  send({
    eventType: 'runComplete',
    payload: {
      runner: 'demo-runner',
      pid: process.pid,
      status,
      duration,
      totals: { files: 1, tests: tests?.length ?? 0, passed: count('PASS'), failed: count('FAIL'), skipped: count('SKIP') },
    },
  });

  // Wait until the parent has the count before letting go of the channel.
  await new Promise((resolve, reject) => {
    if (process.send === undefined) return resolve(undefined);
    process.send({ filePath, pid: process.pid, sent }, (/** @type {Error | null} */ error) => (error ? reject(error) : resolve(undefined)));
  });
  process.disconnect?.();
}

await main();
