// @ts-check
/**
 * The IPC layer end to end: an IpcManager watches a fresh IPC file while four real
 * Node processes (demo-writer.mjs, one pretend test file each) append events to it
 * with sendEvent(). The manager's consumer prints every event as it arrives; at the
 * end the summary checks that every event sent was received.
 *
 * Run it with `npm run demo` (builds first), or `node examples/demo.mjs` after a build.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../dist/index.js';

const { IPC_PATH_ENV, IpcManager } = pkg;

/** @typedef {import('../dist/index.js').IpcEvent} IpcEvent */
/** @typedef {import('../dist/index.js').IpcManager} Manager */
/** @typedef {{ filePath: string, pid: number, sent: number }} WriterReport */

const TEST_FILES = ['src/math.test.ts', 'src/strings.test.ts', 'src/api/client.test.ts', 'src/components/button.test.ts'];
const WRITER_SCRIPT = fileURLToPath(new URL('./demo-writer.mjs', import.meta.url));

/** One short line per event. @param {IpcEvent} event */
function describe(event) {
  switch (event.eventType) {
    case 'runStart':
      return `pid ${event.payload.pid} started (${event.payload.runner})`;
    case 'testFileStart':
      return event.payload.filePath;
    case 'testCase': {
      const { filePath, suiteName, testName, status, duration, error } = event.payload;
      const path = [filePath, suiteName, testName].filter(Boolean).join(' › ');
      return `${path} › ${status}${duration ? ` (${duration} ms)` : ''}${error ? `: ${error}` : ''}`;
    }
    case 'stdoutChunk':
    case 'stderrChunk':
      return `${event.payload.filePath}: ${JSON.stringify(event.payload.chunk.trimEnd())}`;
    case 'testFileResult':
      return `${event.payload.filePath} › ${event.payload.status} (${event.payload.duration ?? '?'} ms)`;
    case 'runComplete': {
      const totals = event.payload.totals ?? {};
      return `pid ${event.payload.pid} ${event.payload.status}: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
    }
    case 'unknown':
      return `${event.originalEventType} (${event.reason})`;
  }
}

/**
 * Which writer an event came from. runStart/runComplete name their process; the
 * others their test file, which is how the summary counts per writer.
 * @param {IpcEvent} event @param {Map<number, string>} fileOfPid
 */
function writerOf(event, fileOfPid) {
  if (event.eventType === 'unknown') return '(unknown)';
  const payload = /** @type {{ filePath?: string, pid?: number }} */ (event.payload);
  if (payload.filePath !== undefined) return payload.filePath;
  return (payload.pid !== undefined && fileOfPid.get(payload.pid)) || '(no file)';
}

/** The consumer: runs alongside the writers and ends once the manager is cleaned up. @param {Manager} manager */
async function consume(manager) {
  /** @type {IpcEvent[]} */
  const received = [];
  for await (const event of manager.watchEvents()) {
    received.push(event);
    console.log(`  [${event.eventType}] ${describe(event)}`);
  }
  return received;
}

/**
 * Forks one writer with the IPC path in its env. Resolves with the count the writer
 * reported once it has both exited and closed its channel (so the report is in).
 * @param {string} filePath @param {string} ipcPath @param {Map<number, string>} fileOfPid
 * @returns {Promise<WriterReport>}
 */
function runWriter(filePath, ipcPath, fileOfPid) {
  const child = fork(WRITER_SCRIPT, [filePath], { env: { ...process.env, [IPC_PATH_ENV]: ipcPath } });
  if (child.pid !== undefined) fileOfPid.set(child.pid, filePath);
  /** @type {WriterReport | undefined} */
  let report;
  child.on('message', (message) => (report = /** @type {WriterReport} */ (message)));
  const exited = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve(undefined) : reject(new Error(`writer for ${filePath} exited with ${signal ?? code}`))));
  });
  const disconnected = new Promise((resolve) => child.on('disconnect', () => resolve(undefined)));
  return Promise.all([exited, disconnected]).then(() => {
    if (report === undefined) throw new Error(`writer for ${filePath} exited without reporting its count`);
    return report;
  });
}

/** @param {IpcEvent[]} received @param {WriterReport[]} reports @param {Map<number, string>} fileOfPid @param {number} readErrors */
function printSummary(received, reports, fileOfPid, readErrors) {
  /** @type {Map<string, number>} */
  const perWriter = new Map();
  /** @type {Record<string, number>} */
  const byStatus = { PASS: 0, FAIL: 0, SKIP: 0 };
  for (const event of received) {
    const writer = writerOf(event, fileOfPid);
    perWriter.set(writer, (perWriter.get(writer) ?? 0) + 1);
    if (event.eventType === 'testCase') byStatus[event.payload.status] = (byStatus[event.payload.status] ?? 0) + 1;
  }
  console.log('\nSummary');
  for (const { filePath, pid, sent } of reports) {
    const got = perWriter.get(filePath) ?? 0;
    console.log(`  ${filePath.padEnd(32)} pid ${String(pid).padEnd(7)} sent ${sent}, received ${got}${got === sent ? '' : '  <-- MISMATCH'}`);
  }
  console.log(`  tests: ${byStatus.PASS} passed, ${byStatus.FAIL} failed, ${byStatus.SKIP} skipped`);
  const sent = reports.reduce((sum, report) => sum + report.sent, 0);
  const lossless = sent === received.length && reports.every((report) => perWriter.get(report.filePath) === report.sent);
  console.log(`  events: ${sent} sent, ${received.length} received, ${readErrors} read errors — ${lossless ? 'nothing lost' : 'EVENTS LOST OR EXTRA'}`);
  return lossless && readErrors === 0;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), '3pio-ipc-demo-'));
  const ipcPath = join(dir, 'ipc', 'demo-run.jsonl');
  try {
    const manager = await IpcManager.create(ipcPath);
    let readErrors = 0;
    manager.onError((error) => {
      readErrors += 1;
      console.log(`  !! ${error.kind}: ${error.message}`);
    });
    console.log(`IPC file: ${ipcPath}`);
    console.log(`Watching it while ${TEST_FILES.length} writer processes run:\n`);

    const consuming = consume(manager);
    /** pid → test file, to attribute runStart/runComplete, which carry no file. */
    const fileOfPid = new Map();
    const reports = await Promise.all(TEST_FILES.map((file) => runWriter(file, ipcPath, fileOfPid)));

    // Every writer has exited: cleanup reads the file to its end, and the for-await
    // loop ends once it has taken the last event.
    const watcher = manager.stats.watcher;
    await manager.cleanup();
    const received = await consuming;
    const ok = printSummary(received, reports, fileOfPid, readErrors);
    const { linesRead, position } = manager.stats;
    console.log(`  reader: ${watcher} watcher, ${linesRead} lines / ${position} bytes read`);
    if (!ok) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
