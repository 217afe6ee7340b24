// @ts-check
/**
 * Benchmarks this package (the 3pio IPC layer) against the least code that could do
 * the same job, all in one run, on whatever machine runs it (`npm run bench`, after
 * the build). Prints a Markdown table on stdout and its progress on stderr.
 *
 * - writer: sendEvent() vs fs.writeSync() on a descriptor opened once (what sendEvent
 *   does underneath, so the ratio is the price of the wrapper), and vs
 *   fs.appendFileSync() per line (the naive way: open + write + close each time).
 * - reader: IpcManager.watchEvents() over a finished file vs readFileSync + split +
 *   JSON.parse (no validation, no backpressure, no tailing: the floor).
 * - latency: write → delivery through the native watcher, one event at a time.
 *
 * This is a report, not a test: it exits 0 whatever the numbers, and names the misses.
 */
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pkg from '../dist/index.js';

const { IPC_PATH_ENV, IpcManager, IpcWriter, sendEvent, serializeEvent } = pkg;

/** @typedef {import('../dist/index.js').KnownEvent} KnownEvent */
/** @typedef {import('../dist/index.js').IpcManager} Manager */

// Enough rounds that one unlucky round (another process, a GC) cannot move the median.
const ROUNDS = 7;
const WRITER_EVENTS = 200_000;
/** Each round's writes are split into this many batches per method (see writerRound). */
const WRITER_BATCHES = 10;
// appendFileSync opens and closes the file for every line: ten times fewer keep it under a second.
const APPEND_EVENTS = 20_000;
const READER_EVENTS = 200_000;
const LATENCY_EVENTS = 500;
const LATENCY_GAPS_MS = [2, 3, 4, 5];

const TARGETS = {
  writer: 0.8, // sendEvent ≥ 0.8 × raw writeSync
  reader: 0.6, // watchEvents ≥ 0.6 × readFileSync + JSON.parse
  latencyP99Ms: 10,
};

// ---------------------------------------------------------------------------------
// Helpers

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const at = (/** @type {number} */ index) => /** @type {number} */ (sorted[index]);
  return sorted.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/** Nearest-rank percentile, p in 0..100. @param {number[]} values @param {number} p */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return /** @type {number} */ (sorted[rank - 1]);
}

/** @param {number} perSecond */
function rate(perSecond) {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

/** @param {string} message */
function progress(message) {
  process.stderr.write(`bench: ${message}\n`);
}

/**
 * Runs every measurement `ROUNDS` times, reversing the order every other round so
 * that neither side always gets the warmer (or the more fragmented) turn.
 * @template {string} K
 * @param {Record<K, () => number | Promise<number>>} measurements
 * @returns {Promise<Record<K, number[]>>}
 */
async function rounds(measurements) {
  const names = /** @type {K[]} */ (Object.keys(measurements));
  const results = /** @type {Record<K, number[]>} */ (/** @type {unknown} */ (Object.fromEntries(names.map((name) => [name, []]))));
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) results[name].push(await measurements[name]());
  }
  return results;
}

// ---------------------------------------------------------------------------------
// Realistic events

const SUITES = ['Button', 'Button › when disabled', 'Modal', 'useFetch', 'formatDate'];
const TEST_NAMES = ['renders its label', 'calls onClick once', 'ignores clicks', 'closes on Escape', 'retries after a 503'];

/** @param {number} i @param {string} filePath @returns {KnownEvent} */
function testCaseEvent(i, filePath = `/home/user/project/src/components/button${i % 40}.test.ts`) {
  const suite = /** @type {string} */ (SUITES[i % SUITES.length]);
  return {
    eventType: 'testCase',
    // A timestamp set by the caller makes the library's line byte-identical to the baseline's.
    timestamp: 1_767_000_000_000 + i,
    payload: {
      filePath,
      testName: /** @type {string} */ (TEST_NAMES[i % TEST_NAMES.length]),
      suiteName: /** @type {string} */ (suite.split(' › ').at(-1)),
      ancestorTitles: suite.split(' › '),
      status: 'PASS',
      duration: 3 + (i % 17),
    },
  };
}

/** @param {number} i @param {string} filePath @returns {KnownEvent} */
function stdoutEvent(i, filePath) {
  const line = `[render] <Button variant="primary" size="md" disabled={false}> mounted in ${i % 9}.4 ms, props ok\n`;
  return {
    eventType: 'stdoutChunk',
    timestamp: 1_767_000_000_000 + i,
    payload: { filePath, chunk: line.repeat(4), testName: 'renders its label' },
  };
}

/**
 * The reader's input: per test file a start, its test cases, some console output and
 * a result, the way an adapter writes them. About 80% testCase, 10% stdoutChunk.
 * @param {number} count
 * @returns {KnownEvent[]}
 */
function testRunEvents(count) {
  /** @type {KnownEvent[]} */
  const events = [];
  for (let file = 0; events.length < count; file += 1) {
    const filePath = `/home/user/project/src/components/widget${file}.test.ts`;
    events.push({ eventType: 'testFileStart', timestamp: 1_767_000_000_000 + file, payload: { filePath } });
    for (let test = 0; test < 16; test += 1) {
      const i = events.length;
      events.push(testCaseEvent(i, filePath));
      if (test % 8 === 3) events.push(stdoutEvent(i, filePath));
    }
    events.push({
      eventType: 'testFileResult',
      timestamp: 1_767_000_000_000 + file,
      payload: { filePath, status: 'PASS', duration: 120 + (file % 50) },
    });
  }
  return events.slice(0, count);
}

// ---------------------------------------------------------------------------------
// Writer: events per second

/**
 * One way of writing events, measured in batches: its file is emptied before each
 * batch (outside the timing) so the page cache never has more than a few MB to
 * write back, which is what made whole-file rounds noisy.
 * @typedef {{ path: string, perBatch: number, write: (event: KnownEvent) => void }} WriteMethod
 */

/**
 * Milliseconds to write one batch.
 * @param {WriteMethod} method
 * @param {KnownEvent[]} events cycled through, so the timed loop builds nothing itself
 */
function timeBatch(method, events) {
  writeFileSync(method.path, '');
  const start = performance.now();
  for (let i = 0; i < method.perBatch; i += 1) method.write(/** @type {KnownEvent} */ (events[i % events.length]));
  return performance.now() - start;
}

/**
 * One round: the methods take turns batch by batch (order alternating), so a slow
 * patch of the machine hits all of them alike instead of one whole measurement.
 * @template {string} K
 * @param {Record<K, WriteMethod>} methods
 * @param {KnownEvent[]} events
 * @returns {Record<K, number>} events per second of each method
 */
function writerRound(methods, events) {
  const names = /** @type {K[]} */ (Object.keys(methods));
  const elapsed = new Map(names.map((name) => [name, 0]));
  for (let batch = 0; batch < WRITER_BATCHES; batch += 1) {
    const order = batch % 2 === 0 ? names : [...names].reverse();
    for (const name of order) elapsed.set(name, (elapsed.get(name) ?? 0) + timeBatch(methods[name], events));
  }
  return /** @type {Record<K, number>} */ (
    Object.fromEntries(names.map((name) => [name, (methods[name].perBatch * WRITER_BATCHES) / ((elapsed.get(name) ?? 0) / 1000)]))
  );
}

/** @param {string} dir */
async function benchWriter(dir) {
  const events = Array.from({ length: 1000 }, (_, i) => testCaseEvent(i));
  const sendPath = join(dir, 'send.jsonl');
  const rawPath = join(dir, 'raw.jsonl');
  const appendPath = join(dir, 'append.jsonl');
  process.env[IPC_PATH_ENV] = sendPath;
  // Like sendEvent's, the baseline's descriptor stays open across batches: emptying the
  // file does not disturb an O_APPEND descriptor.
  const rawFd = openSync(rawPath, 'a');
  const methods = {
    sendEvent: { path: sendPath, perBatch: WRITER_EVENTS / WRITER_BATCHES, write: sendEvent },
    writeSync: {
      path: rawPath,
      perBatch: WRITER_EVENTS / WRITER_BATCHES,
      write: (/** @type {KnownEvent} */ event) => writeSync(rawFd, `${JSON.stringify(event)}\n`),
    },
    appendFileSync: {
      path: appendPath,
      perBatch: APPEND_EVENTS / WRITER_BATCHES,
      write: (/** @type {KnownEvent} */ event) => appendFileSync(appendPath, `${JSON.stringify(event)}\n`),
    },
  };
  try {
    // One uncounted round: lets the JIT settle and sendEvent open its descriptor.
    writerRound(methods, events);
    /** @type {{ sendEvent: number[], writeSync: number[], appendFileSync: number[] }} */
    const results = { sendEvent: [], writeSync: [], appendFileSync: [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      const rates = writerRound(methods, events);
      for (const name of /** @type {const} */ (['sendEvent', 'writeSync', 'appendFileSync'])) results[name].push(rates[name]);
    }
    // The library must write exactly what the baseline writes, or the comparison is moot.
    if (readFileSync(sendPath, 'utf8') !== readFileSync(rawPath, 'utf8')) {
      throw new Error('sendEvent and the baseline wrote different bytes');
    }
    return {
      sendEvent: median(results.sendEvent),
      writeSync: median(results.writeSync),
      appendFileSync: median(results.appendFileSync),
      results,
    };
  } finally {
    closeSync(rawFd);
  }
}

// ---------------------------------------------------------------------------------
// Reader: events per second

/** From watchEvents() to the last event in a for-await loop. @param {string} path @param {number} count */
async function readWithManager(path, count) {
  const manager = await IpcManager.create(path);
  // A lost event would leave the loop waiting forever: end it instead, and fail below.
  const guard = setTimeout(() => void manager.cleanup(), 60_000);
  let seen = 0;
  let elapsed = 0;
  /** @type {Promise<void> | undefined} */
  let closing;
  const start = performance.now();
  for await (const event of manager.watchEvents()) {
    // Both sides touch each event, so neither loop is cheaper for ignoring its result.
    seen += event.eventType.length > 0 ? 1 : 0;
    if (seen === count) {
      elapsed = performance.now() - start;
      // Not awaited here: cleanup resolves once this loop has taken the last event.
      closing = manager.cleanup();
    }
  }
  await closing;
  clearTimeout(guard);
  if (seen !== count) throw new Error(`the manager delivered ${seen} of ${count} events`);
  return count / (elapsed / 1000);
}

/** The floor: no tailing, no validation, the whole file in memory. @param {string} path @param {number} count */
function readRaw(path, count) {
  const start = performance.now();
  let seen = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.length === 0) continue;
    const event = JSON.parse(line);
    seen += event.eventType.length > 0 ? 1 : 0;
  }
  const elapsed = performance.now() - start;
  if (seen !== count) throw new Error(`the baseline read ${seen} of ${count} events`);
  return count / (elapsed / 1000);
}

/** @param {string} dir */
async function benchReader(dir) {
  const path = join(dir, 'reader.jsonl');
  const events = testRunEvents(READER_EVENTS);
  writeFileSync(path, events.map((event) => serializeEvent(event)).join(''));
  const measurements = {
    watchEvents: () => readWithManager(path, READER_EVENTS),
    readFileSync: () => readRaw(path, READER_EVENTS),
  };
  // Uncounted warm-up: the first manager also pays for loading chokidar.
  await measurements.watchEvents();
  measurements.readFileSync();
  const results = await rounds(measurements);
  return { watchEvents: median(results.watchEvents), readFileSync: median(results.readFileSync), results };
}

// ---------------------------------------------------------------------------------
// Adversarial lines: linear time, and the event loop not held

const ADVERSARIAL_TARGET_MS = 1000;

/** Lines of about `bytes` built to make a reader slow; every one is followed by one whole event. @param {number} bytes */
function adversarialLines(bytes) {
  const start = '{"eventType":';
  const event = serializeEvent({ eventType: 'testFileStart', timestamp: 1, payload: { filePath: '/p/after.test.js' } });
  return {
    'unfinished event starts, then an event': start.repeat(Math.floor(bytes / start.length)) + event,
    'unfinished event starts, then a newline': `${start.repeat(Math.floor(bytes / start.length))}\n${event}`,
    'one unterminated string': `{"eventType":"stdoutChunk","payload":{"chunk":"${'x'.repeat(bytes)}\n${event}`,
    'deep nesting': `${'['.repeat(bytes)}\n${event}`,
    'an event start, then deep nesting': `{"eventType":"coverage","payload":${'['.repeat(bytes)}\n${event}`,
  };
}

/** How long a manager takes to read `path` to its end, and the longest the event loop waited meanwhile. @param {string} path */
async function readTimed(path) {
  // A 1 ms timer: the longest gap between its ticks is the longest the reader held the event loop.
  let maxBlockMs = 0;
  let lastTick = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    maxBlockMs = Math.max(maxBlockMs, now - lastTick);
    lastTick = now;
  }, 1);
  const start = performance.now();
  const manager = await IpcManager.create(path);
  let events = 0;
  const consuming = (async () => {
    for await (const event of manager.watchEvents()) events += event.eventType === 'testFileStart' ? 1 : 0;
  })();
  await manager.cleanup();
  await consuming;
  const elapsed = performance.now() - start;
  clearInterval(ticker);
  maxBlockMs = Math.max(maxBlockMs, performance.now() - lastTick);
  if (events !== 1) throw new Error(`the event after the adversarial line was lost (${events} delivered)`);
  return { elapsed, maxBlockMs };
}

/** @param {string} dir */
async function benchAdversarial(dir) {
  /** @type {{ name: string, bytes: number, elapsed: number, maxBlockMs: number }[]} */
  const results = [];
  // Under the reader's 8 MiB line limit (parsed, recovered) and over it (skipped as it streams past).
  for (const bytes of [7_000_000, 10_000_000]) {
    for (const [name, text] of Object.entries(adversarialLines(bytes))) {
      const path = join(dir, 'adversarial.jsonl');
      writeFileSync(path, text);
      const measured = await readTimed(path);
      rmSync(path);
      results.push({ name, bytes, ...measured });
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------
// Delivery latency

/** @param {Manager} manager */
async function waitForWatcher(manager) {
  const deadline = performance.now() + 10_000;
  while (manager.stats.watcher === 'idle' || manager.stats.watcher === 'starting') {
    if (performance.now() > deadline) break;
    await sleep(5);
  }
  return manager.stats.watcher;
}

/** @param {string} dir */
async function benchLatency(dir) {
  const path = join(dir, 'latency.jsonl');
  const manager = await IpcManager.create(path);
  const iterator = manager.watchEvents();
  // Measure the watcher, not its start-up: wait until it is listening.
  const watcher = await waitForWatcher(manager);

  /** @type {Map<number, number>} sequence number → performance.now() just before its write */
  const sentAt = new Map();
  /** @type {number[]} */
  const latencies = [];
  const consumer = (async () => {
    for await (const event of iterator) {
      const received = performance.now();
      if (event.eventType !== 'stdoutChunk') continue;
      const seq = Number(event.payload.chunk.slice('seq '.length, event.payload.chunk.indexOf('\n')));
      latencies.push(received - (sentAt.get(seq) ?? Number.NaN));
      if (latencies.length === LATENCY_EVENTS) void manager.cleanup();
    }
  })();

  // One writer, like an adapter: one event, then a pause of 2–5 ms, on timers.
  const writer = new IpcWriter(path);
  for (let seq = 0; seq < LATENCY_EVENTS; seq += 1) {
    await sleep(/** @type {number} */ (LATENCY_GAPS_MS[seq % LATENCY_GAPS_MS.length]));
    sentAt.set(seq, performance.now());
    writer.write({
      eventType: 'stdoutChunk',
      payload: { filePath: '/home/user/project/src/components/button.test.ts', chunk: `seq ${seq}\nrendered <Button> ok\n` },
    });
  }
  writer.close();
  // Everything should be in within a poll interval or two; the guard only stops a hang.
  const guard = setTimeout(() => void manager.cleanup(), 5_000);
  await consumer;
  clearTimeout(guard);
  await manager.cleanup();
  if (latencies.length !== LATENCY_EVENTS) throw new Error(`the manager delivered ${latencies.length} of ${LATENCY_EVENTS} events`);
  return { watcher, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) };
}

// ---------------------------------------------------------------------------------
// Report

/** @param {boolean} ok */
function verdict(ok) {
  return ok ? 'PASS' : '**MISS**';
}

/** Round by round, ours / baseline. @param {number[]} ours @param {number[]} baseline */
function pairedRatios(ours, baseline) {
  return ours.map((value, round) => value / /** @type {number} */ (baseline[round]));
}

/** @param {number[]} ratios */
function ratioSpread(ratios) {
  return `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`;
}

/** min–max of the rounds, to show how noisy the median is. @param {number[]} values */
function spread(values) {
  const k = (/** @type {number} */ v) => `${Math.round(v / 1000).toLocaleString('en-US')}k`;
  return `${k(Math.min(...values))}–${k(Math.max(...values))}`;
}

/** @param {number} value */
const ms = (value) => `${value.toFixed(2)} ms`;
/** @param {number} value */
const times = (value) => `${value.toFixed(2)}×`;
/** @param {number} value */
const thousands = (value) => value.toLocaleString('en-US');

/**
 * @param {Awaited<ReturnType<typeof benchWriter>>} writer
 * @param {Awaited<ReturnType<typeof benchReader>>} reader
 * @param {Awaited<ReturnType<typeof benchLatency>>} latency
 * @param {Awaited<ReturnType<typeof benchAdversarial>>} adversarial
 * @returns {string[]}
 */
function report(writer, reader, latency, adversarial) {
  // Each round measured both sides together, so the median of the rounds' own ratios
  // cancels most of the machine's drift (the ratio of the two medians would not).
  const writerRatios = pairedRatios(writer.results.sendEvent, writer.results.writeSync);
  const readerRatios = pairedRatios(reader.results.watchEvents, reader.results.readFileSync);
  const writerRatio = median(writerRatios);
  const appendRatio = median(pairedRatios(writer.results.sendEvent, writer.results.appendFileSync));
  const readerRatio = median(readerRatios);

  const writerOk = writerRatio >= TARGETS.writer;
  const readerOk = readerRatio >= TARGETS.reader;
  const latencyOk = latency.p99 <= TARGETS.latencyP99Ms;
  const misses = [
    ...(writerOk ? [] : [`writer: sendEvent is ${times(writerRatio)} raw writeSync (target ≥ ${TARGETS.writer}×)`]),
    ...(readerOk ? [] : [`reader: watchEvents is ${times(readerRatio)} readFileSync + JSON.parse (target ≥ ${TARGETS.reader}×)`]),
    ...(latencyOk ? [] : [`latency: p99 is ${ms(latency.p99)} (target ≤ ${TARGETS.latencyP99Ms} ms)`]),
    ...adversarial
      .filter((line) => line.elapsed > ADVERSARIAL_TARGET_MS)
      .map(
        (line) =>
          `adversarial line (${line.name}, ${thousands(line.bytes)} bytes) read in ${ms(line.elapsed)} (target ≤ ${ADVERSARIAL_TARGET_MS} ms)`,
      ),
  ];

  const watcher = `${latency.watcher} watcher`;
  const rows = [
    ['Measurement', '@3pio/ipc', 'Baseline', 'Ratio', 'Target', 'Result'],
    ['---', '---:', '---:', '---:', '---:', ':---:'],
    [
      'Writer events/s: `sendEvent` vs `fs.writeSync` (fd opened once)',
      rate(writer.sendEvent),
      rate(writer.writeSync),
      times(writerRatio),
      `≥ ${TARGETS.writer}×`,
      verdict(writerOk),
    ],
    [
      'Writer events/s: `sendEvent` vs `fs.appendFileSync` per line',
      rate(writer.sendEvent),
      rate(writer.appendFileSync),
      times(appendRatio),
      '–',
      'info',
    ],
    [
      'Reader events/s: `watchEvents` vs `readFileSync` + split + `JSON.parse`',
      rate(reader.watchEvents),
      rate(reader.readFileSync),
      times(readerRatio),
      `≥ ${TARGETS.reader}×`,
      verdict(readerOk),
    ],
    [`Delivery latency p50 (${watcher})`, ms(latency.p50), '', '', '', 'info'],
    [`Delivery latency p99 (${watcher})`, ms(latency.p99), '', '', `≤ ${TARGETS.latencyP99Ms} ms`, verdict(latencyOk)],
    [`Delivery latency max (${watcher})`, ms(latency.max), '', '', '', 'info'],
    ...adversarial.map((line) => [
      `Adversarial line, ${thousands(line.bytes)} bytes: ${line.name} (longest event-loop wait ${ms(line.maxBlockMs)})`,
      ms(line.elapsed),
      '',
      '',
      `≤ ${ADVERSARIAL_TARGET_MS} ms`,
      verdict(line.elapsed <= ADVERSARIAL_TARGET_MS),
    ]),
  ];

  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    '## @3pio/ipc benchmark',
    '',
    `Node ${process.version}, ${cpus().length} CPUs (${cpu}), ${process.platform}/${process.arch}. ` +
      `Medians of ${ROUNDS} rounds: writer ${thousands(WRITER_EVENTS)} events per method and round ` +
      `(appendFileSync ${thousands(APPEND_EVENTS)}), reader ${thousands(READER_EVENTS)} events; ` +
      `latency over ${LATENCY_EVENTS} events written every ${LATENCY_GAPS_MS[0]}–${LATENCY_GAPS_MS.at(-1)} ms.`,
    '',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    `Ratios are medians of the per-round ratios (writer ${ratioSpread(writerRatios)}, reader ${ratioSpread(readerRatios)} across rounds). ` +
      `Round spread in events/s: sendEvent ${spread(writer.results.sendEvent)}, writeSync ${spread(writer.results.writeSync)}, ` +
      `appendFileSync ${spread(writer.results.appendFileSync)}, watchEvents ${spread(reader.results.watchEvents)}, ` +
      `readFileSync ${spread(reader.results.readFileSync)}.`,
    '',
    ...(misses.length === 0 ? ['All targets met.'] : [`**${misses.length} target(s) missed:**`, ...misses.map((miss) => `- MISS ${miss}`)]),
  ];
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), '3pio-ipc-bench-'));
  const started = performance.now();
  try {
    progress(`writer: ${ROUNDS} rounds of ${thousands(WRITER_EVENTS)} events per method`);
    const writer = await benchWriter(dir);
    progress(`reader: ${ROUNDS} rounds of ${thousands(READER_EVENTS)} events`);
    const reader = await benchReader(dir);
    progress(`latency: ${LATENCY_EVENTS} events, one every ${LATENCY_GAPS_MS[0]}–${LATENCY_GAPS_MS.at(-1)} ms`);
    const latency = await benchLatency(dir);
    progress('adversarial lines of 7 and 10 MB');
    const adversarial = await benchAdversarial(dir);
    console.log(report(writer, reader, latency, adversarial).join('\n'));
    progress(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
