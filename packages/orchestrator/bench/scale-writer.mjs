// @ts-check
// Writes the synthetic pandas-sized event stream of scale.mjs as fast as it can, the
// way runner processes would, and tells the parent when its last event was written.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** @type {typeof import('@3pio/ipc')} */
const { sendEvent } = require('@3pio/ipc');

const [files, testsPerFile, chunks] = process.argv.slice(2).map(Number);
let sent = 0;
/** @param {import('@3pio/ipc').KnownEvent} event */
const send = (event) => {
  sendEvent(event);
  sent += 1;
};

send({ eventType: 'runStart', payload: { runner: 'synthetic', pid: process.pid } });
let chunksLeft = chunks;
for (let f = 0; f < files; f += 1) {
  const filePath = `/project/pandas/tests/module_${Math.floor(f / 50)}/test_file_${f}.py`;
  send({ eventType: 'testFileStart', payload: { filePath } });
  const chunksHere = Math.round(chunksLeft / (files - f));
  chunksLeft -= chunksHere;
  for (let t = 0; t < testsPerFile; t += 1) {
    const failing = (f * testsPerFile + t) % 997 === 0;
    send({
      eventType: 'testCase',
      payload: {
        filePath,
        testName: `test_case_${t}_with_a_realistic_name[param-${t % 7}]`,
        ancestorTitles: [`TestClass${t % 5}`],
        status: failing ? 'FAIL' : t % 50 === 49 ? 'SKIP' : 'PASS',
        duration: (t % 13) + 0.5,
        ...(failing ? { failure: { message: 'AssertionError: frames are not equal', stack: 'Traceback…\n  at line 12' } } : {}),
      },
    });
    if (t < chunksHere)
      send({ eventType: 'stdoutChunk', payload: { filePath, chunk: `output line ${t} of ${filePath}: ${'x'.repeat(60)}\n` } });
  }
  for (let c = testsPerFile; c < chunksHere; c += 1) send({ eventType: 'stderrChunk', payload: { filePath, chunk: `warning ${c}\n` } });
  send({ eventType: 'testFileResult', payload: { filePath, status: 'PASS' } });
}
send({ eventType: 'runComplete', payload: { pid: process.pid } });
process.send?.({ sent, lastWriteAt: Date.now() });
