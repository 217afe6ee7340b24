// @ts-check
/**
 * Scale: a synthetic event stream the size of pandas' suite (189,505 events: 50,000
 * tests in 2,000 files, with output chunks), written by another process as fast as it
 * can while a 3pio run session reads it live. Measures how long after the last event
 * was written the final reports are on disk. Target: ≤ 2 s. (3pio's Go implementation
 * once took 23 minutes to drain this load.)
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
/** @type {typeof import('../dist/run/run-session.js')} */
const { RunSession } = require('../dist/run/run-session.js');

const FILES = 2_000;
const TESTS_PER_FILE = 25;
const TOTAL_EVENTS = 189_505;
const CHUNKS = TOTAL_EVENTS - (FILES * TESTS_PER_FILE + 2 * FILES + 2);
const TARGET_MS = 2_000;

const dir = mkdtempSync(join(tmpdir(), '3pio-scale-'));
try {
  const runDir = join(dir, 'run');
  const ipcPath = join(runDir, 'ipc.jsonl');
  let consoleBytes = 0;
  const session = new RunSession({
    runDir,
    ipcPath,
    projectRoot: '/project',
    cwd: dir,
    command: 'synthetic',
    out: { write: (text) => (consoleBytes += text.length) },
  });
  await session.header('synthetic', []);
  await session.start();
  const started = Date.now();
  const writer = fork(
    fileURLToPath(new URL('./scale-writer.mjs', import.meta.url)),
    [String(FILES), String(TESTS_PER_FILE), String(CHUNKS)],
    {
      env: { ...process.env, THREEPIO_IPC_PATH: ipcPath },
    },
  );
  const [report] = /** @type {[{ sent: number, lastWriteAt: number }]} */ (await once(writer, 'message'));
  await once(writer, 'exit');
  await session.drain();
  await session.finish({ incompleteReason: 'synthetic' });
  const doneAt = Date.now();
  const reports = readdirSync(join(runDir, 'reports'), { recursive: true }).filter((name) => String(name).endsWith('index.md')).length;
  const afterLast = doneAt - report.lastWriteAt;
  console.log('## 3pio orchestrator scale benchmark\n');
  console.log(
    `Node ${process.version}. ${report.sent.toLocaleString('en')} events (${(FILES * TESTS_PER_FILE).toLocaleString('en')} tests in ${FILES.toLocaleString('en')} files, ${CHUNKS.toLocaleString('en')} output chunks), written by another process while the session read them live.\n`,
  );
  console.log('| Measurement | Value | Target | Result |');
  console.log('| --- | ---: | ---: | :---: |');
  console.log(`| Writing all events | ${report.lastWriteAt - started} ms | – | info |`);
  console.log(
    `| Final reports on disk after the last event was written | ${afterLast} ms | ≤ ${TARGET_MS} ms | ${afterLast <= TARGET_MS ? 'PASS' : 'MISS'} |`,
  );
  console.log(`| Reports written | ${reports} files + test-run.md | ${FILES} | ${reports === FILES ? 'PASS' : 'MISS'} |`);
  console.log(`| Console output | ${consoleBytes} bytes | – | info |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
