// A floor for the overhead benchmark, not a reporter to use: what sending events per test
// from Mocha's thread costs at the least. Spec inside, a `testCase` line per passing test
// built inline, file start/end lines, the events batched for 1 ms, output captured with
// the emit-depth tracking the adapter uses. No failures, hooks, summaries or safety nets.
// `npm run bench -- --reporter bench/floor-reporter.cjs`; BENCHMARKS.md compares.
'use strict';
const Mocha = require.main.require('mocha');
const fs = require('node:fs');
const path = require('node:path');

// jsonString of @3pio/ipc, copied on purpose: the floor loads no module of ours.
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/; // eslint-disable-line no-control-regex
const json = (text) => (NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : `"${text}"`);

module.exports = function FloorReporter(runner, options) {
  new Mocha.reporters.Spec(runner, options);
  const ipcPath = process.env.THREEPIO_IPC_PATH;
  fs.mkdirSync(path.dirname(ipcPath), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(ipcPath, 'a', 0o600);
  let lines = '';
  let timer;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (lines !== '') fs.writeSync(fd, lines);
    lines = '';
  };
  const add = (line) => {
    lines += line;
    timer ??= setTimeout(flush, 1).unref();
  };
  process.on('exit', flush);

  const isFileSuite = (suite) => suite.file !== undefined && suite.parent?.root === true;
  runner.on('suite', (suite) => {
    if (!isFileSuite(suite)) return;
    lines += `{"eventType":"testFileStart","timestamp":${Date.now()},"payload":{"filePath":${json(suite.file)}}}\n`;
    flush();
  });
  runner.on('suite end', (suite) => {
    if (isFileSuite(suite))
      add(`{"eventType":"testFileResult","timestamp":${Date.now()},"payload":{"filePath":${json(suite.file)},"status":"PASS"}}\n`);
  });

  const suites = new Map();
  let last;
  runner.on('pass', (test) => {
    const suite = test.parent;
    let place = last?.suite === suite ? last : suites.get(suite);
    if (place === undefined) {
      const titles = suite.titlePath();
      place = {
        suite,
        head: `,"payload":{"filePath":${json(test.file)},"testName":`,
        tail: `,"suiteName":${json(titles.at(-1) ?? '')},"ancestorTitles":[${titles.map(json).join(',')}],"status":"PASS","runnerStatus":"passed"`,
      };
      suites.set(suite, place);
    }
    last = place;
    add(`{"eventType":"testCase","timestamp":${Date.now()}${place.head}${json(test.title)}${place.tail},"duration":${test.duration}}}\n`);
  });

  let emitting = 0;
  const emit = runner.emit;
  runner.emit = function (...args) {
    emitting += 1;
    try {
      return emit.apply(runner, args);
    } finally {
      emitting -= 1;
    }
  };
  for (const name of ['stdout', 'stderr']) {
    const stream = process[name];
    const write = stream.write;
    stream.write = function (...args) {
      const result = write.apply(this, args);
      const test = runner.test;
      if (emitting === 0 && test !== undefined && test.state === undefined) {
        const payload = JSON.stringify({ filePath: test.file, chunk: String(args[0]), testName: test.title });
        add(`{"eventType":"${name}Chunk","timestamp":${Date.now()},"payload":${payload}}\n`);
      }
      return result;
    };
  }
};
