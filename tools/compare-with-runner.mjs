#!/usr/bin/env node
/**
 * Runs a project's test command once under 3pio and compares, test by test, what 3pio
 * recorded with what the runner itself reported in that same run.
 *
 *   node tools/compare-with-runner.mjs <dir> [--runner jest|vitest|mocha] [--quiet]
 *        [--summary <file.json>] [--threepio <cli.js>] -- <command...>
 *
 * The runner's side: tools/compare-with-runner.preload.cjs, added to NODE_OPTIONS beside
 * 3pio's preload, makes every Jest, Vitest and Mocha run of the command write its own
 * results (`jest --json`, Vitest's json reporter, Mocha's json reporter's events) to a
 * temporary directory, named by the runner process's pid. 3pio's side: the events file of
 * the run directory this command created (`.3pio/runs/<id>/ipc.jsonl`), not its Markdown.
 * A run of 3pio is paired with the runner output of the same process (runStart's `pid`),
 * so `npm test` running Jest twice compares each run with its own JSON.
 *
 * Only Vitest 2 cannot be observed in the same run (it does not export the class where a
 * reporter can be added): the command is then run a second time, without 3pio, and the
 * two runs' Vitest tests are compared as wholes; the output says so.
 *
 * Exit code: 0 when both sides agree, 1 on any difference, 2 when the comparison could not
 * be made (bad arguments, no 3pio run directory).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';

const TOOLS = import.meta.dirname;
const PRELOAD = join(TOOLS, 'compare-with-runner.preload.cjs');
const DEFAULT_CLI = join(TOOLS, '..', 'packages', 'orchestrator', 'dist', 'cli', 'main.js');
const RUNNERS = ['jest', 'vitest', 'mocha'];
const STATUSES = ['passed', 'failed', 'skipped'];
/** 3pio reports the tests Mocha silently drops after a failed `before` hook; Mocha counts none of them. */
const BLOCKED_BY_HOOK = 'blocked by failed hook';

function usage(message) {
  if (message !== undefined) console.error(`compare-with-runner: ${message}`);
  console.error(
    'usage: node tools/compare-with-runner.mjs <dir> [--runner jest|vitest|mocha] [--quiet] [--summary <file>] [--threepio <cli.js>] -- <command...>',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const dashes = argv.indexOf('--');
  if (dashes === -1 || dashes === argv.length - 1) usage('no command after --');
  const options = { dir: undefined, runner: undefined, quiet: false, summary: undefined, cli: DEFAULT_CLI };
  const own = argv.slice(0, dashes);
  for (let i = 0; i < own.length; i++) {
    const arg = own[i];
    if (arg === '--runner') options.runner = own[++i];
    else if (arg === '--quiet') options.quiet = true;
    else if (arg === '--summary') options.summary = resolve(own[++i] ?? '');
    else if (arg === '--threepio') options.cli = resolve(own[++i] ?? '');
    else if (!arg.startsWith('-') && options.dir === undefined) options.dir = resolve(arg);
    else usage(`unknown argument ${arg}`);
  }
  if (options.dir === undefined) usage('no directory');
  if (options.runner !== undefined && !RUNNERS.includes(options.runner)) usage(`--runner: one of ${RUNNERS.join(', ')}`);
  return { ...options, command: argv.slice(dashes + 1) };
}

// ---- Running the command.

/** Runs `argv` in `cwd`; resolves to its exit code. Output: inherited, or to `logFile` when quiet. */
function run(argv, cwd, env, logFile) {
  return new Promise((resolvePromise, reject) => {
    const stdio = logFile === undefined ? 'inherit' : ['ignore', 'pipe', 'pipe'];
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio });
    if (logFile !== undefined) {
      const chunks = [];
      child.stdout.on('data', (chunk) => chunks.push(chunk));
      child.stderr.on('data', (chunk) => chunks.push(chunk));
      child.on('close', () => writeFileSync(logFile, Buffer.concat(chunks)));
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise(code ?? (signal === null ? 1 : 128)));
  });
}

/** The environment with the comparison's preload: NODE_OPTIONS keeps the user's options first, as 3pio does. */
function withPreload(outDir, extra = {}) {
  const own = `--require ${JSON.stringify(PRELOAD)}`;
  const nodeOptions = process.env.NODE_OPTIONS?.trim();
  return {
    ...process.env,
    NODE_OPTIONS: nodeOptions ? `${nodeOptions} ${own}` : own,
    COMPARE_WITH_RUNNER_DIR: outDir,
    ...extra,
  };
}

/** The run directories in `dir`'s .3pio/runs: real directories only (a `latest` link is not a run). */
function runDirectories(dir) {
  const runs = join(dir, '.3pio', 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

// ---- The runner's side: the JSON files the preload had written.

function normalStatus(status) {
  if (status === 'passed' || status === 'failed') return status;
  // Jest: pending, todo, disabled, skipped; Vitest: skipped, pending, todo.
  return 'skipped';
}

/** Jest's `--json` and Vitest's json reporter share one shape (Vitest copied Jest's). */
function fromJestShape(json) {
  const tests = [];
  const files = new Map();
  for (const file of json.testResults ?? []) {
    files.set(file.name, file.status === 'failed' ? 'failed' : 'ok');
    for (const test of file.assertionResults ?? []) {
      const titles = [...(test.ancestorTitles ?? []), test.title];
      // Vitest's typechecker wraps a file's type tests in a suite named after the file: its
      // json reporter shows it, its reported-task API (what 3pio reads, as the user wrote the
      // tests) does not. The same test either way.
      if (titles.length > 1 && file.name.endsWith(`/${titles[0]}`)) titles.shift();
      tests.push({ file: file.name, titles, status: normalStatus(test.status) });
    }
  }
  const totals = {
    passed: json.numPassedTests ?? 0,
    failed: json.numFailedTests ?? 0,
    skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
  };
  return { tests, files, totals, hookFailures: 0 };
}

function fromMocha(json) {
  const tests = json.tests.map((test) => ({
    file: test.file,
    titles: [...test.ancestorTitles, test.title],
    status: test.pending ? 'skipped' : test.state === 'failed' ? 'failed' : test.state === 'passed' ? 'passed' : 'unknown',
  }));
  const files = new Map(json.files.map((file) => [file, 'ok']));
  for (const runnable of [...tests, ...json.failures]) {
    if (runnable.file !== undefined && (runnable.status === 'failed' || runnable.type === 'hook')) files.set(runnable.file, 'failed');
  }
  const hookFailures = json.failures.length;
  // Mocha's own numbers: its "failing" includes hook failures, shown here in their own column.
  const totals = { passed: json.stats.passes, failed: json.stats.failures - hookFailures, skipped: json.stats.pending };
  return { tests, files, totals, hookFailures };
}

/** Every runner run the preload recorded: `{runner, pid, n, version, tests, files, totals, hookFailures}`. */
function readRunnerOutputs(outDir) {
  const outputs = [];
  for (const name of readdirSync(outDir).sort()) {
    const match = /^(jest|vitest|mocha)-(\d+)-(\d+)\.json$/.exec(name);
    if (match === null) continue;
    const [, runner, pid, n] = match;
    const meta = JSON.parse(readFileSync(join(outDir, `${name}.meta`), 'utf8'));
    const json = JSON.parse(readFileSync(join(outDir, name), 'utf8'));
    const results = runner === 'mocha' ? fromMocha(json) : fromJestShape(json);
    outputs.push({ runner, pid: Number(pid), n: Number(n), version: meta.version, ...results });
  }
  return outputs.sort((a, b) => a.pid - b.pid || a.n - b.n);
}

/** Runners the preload could not reach in this run (Vitest 2), each with its process. */
function unreachable(outDir) {
  return readdirSync(outDir)
    .map((name) => /^(jest|vitest|mocha)-(\d+)-unreachable\.json$/.exec(name))
    .filter((match) => match !== null)
    .map(([, runner, pid]) => ({ runner, pid: Number(pid) }));
}

// ---- 3pio's side: the run directory's events.

const THREEPIO_STATUS = { PASS: 'passed', FAIL: 'failed', SKIP: 'skipped' };

/**
 * The runs in an events file, as PROTOCOL.md defines them: by the envelope's run ID, or,
 * in files without IDs, by the last runStart without one. A test is keyed by file, suite
 * chain, name and testId, and its last verdict stands (a retried test is one test).
 */
function readThreepioRuns(ipcPath, dir) {
  const runs = new Map();
  let unnamed = 0;
  const runOf = (event) => {
    const id = event.run ?? `#${unnamed}`;
    if (!runs.has(id)) runs.set(id, { id, runner: undefined, pid: undefined, tests: new Map(), files: new Map() });
    return runs.get(id);
  };
  for (const line of readFileSync(ipcPath, 'utf8').split('\n')) {
    let event;
    try {
      event = JSON.parse(line);
    } catch {
      continue; // blank, or half a line from a killed writer: 3pio's reader skips it too
    }
    if (event?.payload === undefined) continue;
    if (event.eventType === 'runStart' && event.run === undefined) unnamed += 1;
    const state = runOf(event);
    const payload = event.payload;
    if (event.eventType === 'runStart') {
      Object.assign(state, { runner: payload.runner, version: payload.runnerVersion, pid: payload.pid });
      state.base = payload.root ?? payload.cwd ?? dir;
      continue;
    }
    if (typeof payload.filePath !== 'string') continue;
    const file = isAbsolute(payload.filePath) ? payload.filePath : resolve(state.base ?? dir, payload.filePath);
    if (event.eventType === 'testFileStart' && !state.files.has(file)) state.files.set(file, 'ok');
    if (event.eventType === 'testFileResult') state.files.set(file, payload.status === 'FAIL' ? 'failed' : 'ok');
    if (event.eventType === 'testCase') {
      if (!state.files.has(file)) state.files.set(file, 'ok');
      const ancestors = payload.ancestorTitles ?? (payload.suiteName === undefined ? [] : [payload.suiteName]);
      const titles = [...ancestors, payload.testName];
      const key = JSON.stringify([file, titles, payload.testId ?? null]);
      state.tests.set(key, {
        file,
        titles,
        status: THREEPIO_STATUS[payload.status] ?? payload.status,
        blocked: payload.runnerStatus === BLOCKED_BY_HOOK,
      });
    }
  }
  return [...runs.values()].map((state) => {
    const all = [...state.tests.values()];
    const tests = all.filter((test) => !test.blocked);
    return { ...state, tests, blocked: all.length - tests.length, totals: count(tests) };
  });
}

// ---- Comparing.

function count(tests) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const test of tests) if (test.status in totals) totals[test.status] += 1;
  return totals;
}

function testKey(test) {
  return JSON.stringify([test.file, test.titles]);
}

/** Differences between two lists of tests, compared as multisets of (file, names) → statuses. */
function compareTests(runnerTests, threepioTests) {
  const group = (tests) => {
    const map = new Map();
    for (const test of tests) map.set(testKey(test), [...(map.get(testKey(test)) ?? []), test.status]);
    return map;
  };
  const ours = group(runnerTests);
  const theirs = group(threepioTests);
  const differences = [];
  for (const key of new Set([...ours.keys(), ...theirs.keys()])) {
    const left = [...(ours.get(key) ?? [])];
    const right = [...(theirs.get(key) ?? [])];
    // Take out the verdicts both sides have; what remains on both sides is a status mismatch.
    for (const status of [...left]) {
      const at = right.indexOf(status);
      if (at !== -1) {
        right.splice(at, 1);
        left.splice(left.indexOf(status), 1);
      }
    }
    const [file, titles] = JSON.parse(key);
    while (left.length > 0 && right.length > 0)
      differences.push({ kind: 'status', file, titles, runner: left.shift(), threepio: right.shift() });
    for (const status of left) differences.push({ kind: 'only runner', file, titles, runner: status });
    for (const status of right) differences.push({ kind: 'only 3pio', file, titles, threepio: status });
  }
  return differences;
}

function compareFiles(runnerFiles, threepioFiles) {
  const differences = [];
  for (const [file, status] of runnerFiles) {
    if (!threepioFiles.has(file)) differences.push({ kind: 'file only runner', file, runner: status });
    else if (threepioFiles.get(file) !== status)
      differences.push({ kind: 'file status', file, runner: status, threepio: threepioFiles.get(file) });
  }
  for (const [file, status] of threepioFiles)
    if (!runnerFiles.has(file)) differences.push({ kind: 'file only 3pio', file, threepio: status });
  return differences;
}

/**
 * Pairs 3pio's runs with the runner's outputs: by process (and order within a process), or,
 * for runners compared across two runs, all of a runner's runs as one.
 */
function pairRuns(threepioRuns, outputs, twoRunRunners) {
  const pairs = [];
  const merge = (list) => ({
    tests: list.flatMap((item) => item.tests),
    files: new Map(list.flatMap((item) => [...item.files])),
    totals: sum(list.map((item) => item.totals)),
    hookFailures: list.reduce((total, item) => total + (item.hookFailures ?? 0), 0),
    blocked: list.reduce((total, item) => total + (item.blocked ?? 0), 0),
    version: list.find((item) => item.version !== undefined)?.version,
  });
  for (const runner of twoRunRunners) {
    const left = outputs.filter((output) => output.runner === runner);
    const right = threepioRuns.filter((item) => item.runner === runner);
    // A side without any run of the runner is one difference, not one per test.
    pairs.push({
      label: `${runner} (all runs; two runs)`,
      runner,
      runnerSide: left.length === 0 ? undefined : merge(left),
      threepioSide: right.length === 0 ? undefined : merge(right),
    });
  }
  const rest = threepioRuns.filter((item) => !twoRunRunners.includes(item.runner));
  const used = new Set();
  for (const output of outputs.filter((item) => !twoRunRunners.includes(item.runner))) {
    const match = rest.find((item) => !used.has(item) && item.pid === output.pid && item.runner === output.runner);
    if (match !== undefined) used.add(match);
    pairs.push({ label: `${output.runner} pid ${output.pid}`, runner: output.runner, runnerSide: output, threepioSide: match });
  }
  for (const item of rest.filter((candidate) => !used.has(candidate))) {
    pairs.push({
      label: `${item.runner ?? 'unknown runner'} pid ${item.pid ?? '?'}`,
      runner: item.runner,
      runnerSide: undefined,
      threepioSide: item,
    });
  }
  return pairs;
}

function sum(totalsList) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const item of totalsList) for (const status of STATUSES) totals[status] += item?.[status] ?? 0;
  return totals;
}

// ---- Printing.

function formatTotals(totals) {
  if (totals === undefined) return '—';
  const { passed, failed, skipped } = totals;
  return `${passed}/${failed}/${skipped}`;
}

function printTable(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  for (const [index, row] of rows.entries()) {
    console.log(
      row
        .map((cell, column) => String(cell).padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    );
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

function describeDifference(difference, dir) {
  const file = difference.file === undefined ? '(no file)' : relative(dir, difference.file) || difference.file;
  const name = difference.titles === undefined ? '' : ` › ${difference.titles.join(' › ')}`;
  switch (difference.kind) {
    case 'status':
      return `status      ${file}${name}: runner ${difference.runner}, 3pio ${difference.threepio}`;
    case 'only runner':
      return `only runner ${file}${name} (${difference.runner})`;
    case 'only 3pio':
      return `only 3pio   ${file}${name} (${difference.threepio})`;
    case 'file status':
      return `file status ${file}: runner ${difference.runner}, 3pio ${difference.threepio}`;
    case 'file only runner':
      return `file only runner ${file}`;
    case 'file only 3pio':
      return `file only 3pio   ${file}`;
    default:
      return `${difference.kind} ${file}${name}`;
  }
}

// ---- Main.

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { dir, command } = options;
  if (!existsSync(options.cli)) usage(`3pio is not built: ${options.cli} (npm run build)`);
  const outDir = mkdtempSync(join(tmpdir(), 'compare-with-runner-'));
  const logFile = options.quiet ? join(outDir, 'output.log') : undefined;

  const before = new Set(runDirectories(dir));
  const exitCode = await run([process.execPath, options.cli, ...command], dir, withPreload(outDir), logFile);
  const created = runDirectories(dir).filter((name) => !before.has(name));
  if (created.length !== 1) {
    console.error(`compare-with-runner: expected one new run directory in ${join(dir, '.3pio', 'runs')}, found ${created.length}`);
    // 3pio did not start (or two ran): its own output says why.
    if (logFile !== undefined) console.error(`command output: ${logFile}`);
    process.exit(2);
  }
  const runDir = join(dir, '.3pio', 'runs', created[0]);
  const keep = (runner) => options.runner === undefined || runner === options.runner;
  const threepioRuns = readThreepioRuns(join(runDir, 'ipc.jsonl'), dir).filter((item) => keep(item.runner));
  let outputs = readRunnerOutputs(outDir).filter((item) => keep(item.runner));

  // Vitest 2: the runner's JSON from a second run of the same command, without 3pio.
  const twoRunRunners = [...new Set(unreachable(outDir).map((item) => item.runner))].filter(keep);
  let secondExitCode;
  if (twoRunRunners.length > 0) {
    const secondDir = mkdtempSync(join(tmpdir(), 'compare-with-runner-'));
    const secondLog = options.quiet ? join(secondDir, 'output.log') : undefined;
    console.log(
      `\ncompare-with-runner: ${twoRunRunners.join(', ')} cannot be observed in 3pio's run; running the command again without 3pio`,
    );
    secondExitCode = await run(command, dir, withPreload(secondDir, { COMPARE_WITH_RUNNER_ARGV: '1' }), secondLog);
    const second = readRunnerOutputs(secondDir).filter((item) => twoRunRunners.includes(item.runner));
    outputs = [...outputs.filter((item) => !twoRunRunners.includes(item.runner)), ...second];
    rmSync(secondDir, { recursive: true, force: true });
  }

  const pairs = pairRuns(threepioRuns, outputs, twoRunRunners);
  const differences = [];
  const rows = [['run', 'version', 'runner p/f/s', '3pio p/f/s', 'runner hook failures', 'files (runner/3pio)', 'differences']];
  for (const pair of pairs) {
    const runnerSide = pair.runnerSide;
    const threepioSide = pair.threepioSide;
    let found;
    if (runnerSide === undefined) found = [{ kind: 'run only 3pio saw', label: pair.label }];
    else if (threepioSide === undefined) found = [{ kind: 'run only the runner saw', label: pair.label }];
    else {
      found = [...compareTests(runnerSide.tests, threepioSide.tests), ...compareFiles(runnerSide.files, threepioSide.files)];
      // The runner's own totals must agree with its own list, or the list was read wrongly.
      const listed = count(runnerSide.tests);
      if (STATUSES.some((status) => listed[status] !== runnerSide.totals[status]))
        found.push({ kind: `runner's totals ${formatTotals(runnerSide.totals)} differ from its list ${formatTotals(listed)}` });
    }
    differences.push(...found.map((difference) => ({ ...difference, label: pair.label })));
    rows.push([
      pair.label,
      runnerSide?.version ?? threepioSide?.version ?? '?',
      formatTotals(runnerSide?.totals),
      formatTotals(threepioSide?.totals),
      runnerSide?.hookFailures ?? '—',
      `${runnerSide?.files.size ?? '—'}/${threepioSide?.files.size ?? '—'}`,
      found.length,
    ]);
  }
  const runnerTotals = sum(pairs.map((pair) => pair.runnerSide?.totals));
  const threepioTotals = sum(pairs.map((pair) => pair.threepioSide?.totals));
  rows.push(['total', '', formatTotals(runnerTotals), formatTotals(threepioTotals), '', '', differences.length]);

  console.log(`\n3pio run: ${relative(dir, runDir)} (3pio exited ${exitCode})`);
  if (secondExitCode !== undefined) console.log(`second run without 3pio for ${twoRunRunners.join(', ')}: exited ${secondExitCode}`);
  console.log('p/f/s: passed/failed/skipped tests, each counted once with its final verdict\n');
  if (pairs.length === 0) console.log('no runner runs, on either side');
  else printTable(rows);
  const blocked = pairs.reduce((total, pair) => total + (pair.threepioSide?.blocked ?? 0), 0);
  if (blocked > 0)
    console.log(`\nnot compared: ${blocked} test(s) 3pio reports as failed because a hook failed (Mocha does not count them)`);
  if (differences.length > 0) {
    console.log(`\n${differences.length} difference(s):`);
    for (const difference of differences) {
      const text = difference.file === undefined && difference.titles === undefined ? difference.kind : describeDifference(difference, dir);
      console.log(`  [${difference.label}] ${text}`);
    }
  } else if (pairs.length > 0) console.log('\nno differences');

  if (options.summary !== undefined) {
    const versions = [...new Set(pairs.map((pair) => `${pair.runner} ${pair.runnerSide?.version ?? pair.threepioSide?.version ?? '?'}`))];
    writeFileSync(
      options.summary,
      `${JSON.stringify(
        {
          runs: pairs.length,
          versions,
          sameRun: twoRunRunners.length === 0,
          runner: runnerTotals,
          threepio: threepioTotals,
          differences: differences.length,
          exitCode,
          runDir,
        },
        null,
        2,
      )}\n`,
    );
  }
  if (logFile !== undefined) console.log(`\ncommand output: ${logFile}`);
  else rmSync(outDir, { recursive: true, force: true });
  process.exit(differences.length > 0 || pairs.length === 0 ? 1 : 0);
}

await main();
