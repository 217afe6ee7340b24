/**
 * The preload of tools/compare-with-runner.mjs: it makes every Jest, Vitest and Mocha run
 * of the command also write the runner's own results as JSON, in the same run that 3pio
 * observes. compare-with-runner.mjs puts it in NODE_OPTIONS (`--require`) beside 3pio's
 * own preload and names an output directory in COMPARE_WITH_RUNNER_DIR; this file does
 * nothing in a process without that variable. 3pio itself is not changed: this finds the
 * runners the way 3pio's preload does (packages/orchestrator/src/preload/), independently.
 *
 * What each run writes to `<dir>/<runner>-<pid>-<n>.json` (pid: the runner's main
 * process, which is also the `pid` of 3pio's runStart for that run):
 *   - Jest: exactly what `jest --json --outputFile` writes (its globalConfig gets `json` and
 *     `outputFile`, after Jest read the user's config).
 *   - Vitest 3/4: what its built-in `json` reporter writes (an instance added beside the
 *     user's reporters). Vitest 2 does not export the class this needs: the process writes
 *     `vitest-<pid>-unreachable.json` instead, and the tool runs the command a second time
 *     with COMPARE_WITH_RUNNER_ARGV=1, where this file adds `--reporter=json --outputFile`
 *     to Vitest's command line (replacing the user's reporters is harmless in that run).
 *   - Mocha: the runner's events as its `json` reporter collects them (Mocha allows one
 *     reporter, and its json reporter cannot write to a file before Mocha 9), plus the
 *     files Mocha loaded and its own stats.
 * Once a runner's run starts, this file leaves NODE_OPTIONS and the environment, as 3pio's
 * preload does: runners that tests start (a test suite of a Jest plugin) are not counted.
 */
'use strict';

const { writeFileSync, readFileSync, realpathSync } = require('node:fs');
const { basename, dirname, join, sep } = require('node:path');
const { pathToFileURL } = require('node:url');

const DIR_ENV = 'COMPARE_WITH_RUNNER_DIR';
const ARGV_ENV = 'COMPARE_WITH_RUNNER_ARGV';
const outDir = process.env[DIR_ENV];
const argvMode = process.env[ARGV_ENV] === '1';

let written = 0;
/**
 * A new output file of this process (one runner process can run more than once), with a
 * `.meta` file beside it naming the runner's version: the tool needs it even when 3pio
 * did not see the run.
 */
function outputFile(runner, packageDir) {
  written += 1;
  const file = join(outDir, `${runner}-${process.pid}-${written}.json`);
  let version;
  try {
    version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
  } catch {
    version = undefined;
  }
  writeFileSync(`${file}.meta`, JSON.stringify({ runner, version, cwd: process.cwd() }));
  return file;
}

/** Takes this preload out of the environment that the runner's workers and tests inherit. */
function leave() {
  const own = `--require ${JSON.stringify(__filename)}`;
  const rest = (process.env.NODE_OPTIONS ?? '').replace(own, '').trim();
  if (rest === '') delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = rest;
  delete process.env[DIR_ENV];
  delete process.env[ARGV_ENV];
}

// ---- Jest: jest-config's readConfigs, which every way of starting Jest goes through.

function patchJestConfig(exports, filename) {
  const readConfigs = exports?.readConfigs;
  if (typeof readConfigs !== 'function') return;
  exports.readConfigs = async function readConfigsWithJson(...args) {
    const result = await readConfigs.apply(this, args);
    leave();
    // Spread, not assigned: the globalConfig may be frozen (3pio's preload freezes its copy).
    const globalConfig = Object.freeze({
      ...result.globalConfig,
      json: true,
      outputFile: outputFile('jest', join(dirname(filename), '..')),
    });
    return { ...result, globalConfig };
  };
}

// ---- Mocha: Mocha.prototype.run, which constructs the reporter for the run.

const MOCHA_WRAPPED = Symbol('compare-with-runner.mocha');

function titlePath(runnable) {
  const titles = [];
  for (let suite = runnable.parent; suite !== undefined && suite !== null && !suite.root; suite = suite.parent) titles.unshift(suite.title);
  return titles;
}

/** The fields of Mocha's json reporter's `clean()`, plus the suite chain. */
function describeRunnable(runnable) {
  return {
    title: runnable.title,
    fullTitle: typeof runnable.fullTitle === 'function' ? runnable.fullTitle() : runnable.title,
    ancestorTitles: titlePath(runnable),
    file: runnable.file,
    type: runnable.type,
    state: runnable.state,
    pending: typeof runnable.isPending === 'function' ? runnable.isPending() : runnable.pending === true,
    currentRetry: typeof runnable.currentRetry === 'function' ? runnable.currentRetry() : undefined,
  };
}

/** Listens as lib/reporters/json.js does (its events, in its order), and writes at the run's end. */
function collectMochaRun(runner, files, mochaDir) {
  const tests = [];
  const failures = [];
  runner.on('test end', (test) => tests.push(describeRunnable(test)));
  runner.on('fail', (runnable) => failures.push(describeRunnable(runnable)));
  runner.once('end', () => {
    writeFileSync(
      outputFile('mocha', mochaDir),
      JSON.stringify({ stats: runner.stats, files, tests, failures: failures.filter((failure) => failure.type === 'hook') }),
    );
  });
}

function patchMocha(Mocha, filename) {
  const run = Mocha?.prototype?.run;
  if (typeof run !== 'function') return;
  Mocha.prototype.run = function runWithJson(...args) {
    const Reporter = this._reporter;
    if (typeof Reporter === 'function' && Reporter[MOCHA_WRAPPED] !== true) {
      const mocha = this;
      // Mocha calls `new this._reporter(runner, options)` once per run: the collector
      // listens first, then the reporter Mocha would have used (3pio's, holding the user's).
      const Wrapped = function ReporterWithJson(runner, options) {
        leave();
        collectMochaRun(runner, [...(mocha.files ?? [])], join(dirname(filename), '..'));
        return new Reporter(runner, options);
      };
      Wrapped[MOCHA_WRAPPED] = true;
      // Mocha reads a few static fields of the reporter class (its description, `consoleLog`).
      Object.setPrototypeOf(Wrapped, Reporter);
      this._reporter = Wrapped;
    }
    return run.apply(this, args);
  };
}

// ---- Vitest: ES modules; the process is known by its main script, Vitest's bin.

function vitestPackageOfBin(main) {
  try {
    const real = realpathSync(main);
    if (basename(real) !== 'vitest.mjs') return undefined;
    const dir = dirname(real);
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'vitest' ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The chunk that defines the Vitest class: the one `dist/node.js` imports `createVitest` from. */
function vitestCoreChunk(vitestDir) {
  const entry = readFileSync(join(vitestDir, 'dist', 'node.js'), 'utf8');
  const from = /export\s*\{[^}]*\bas createVitest\b[^}]*\}\s*from\s*['"](\.\/[^'"]+)['"]/.exec(entry)?.[1];
  return from === undefined ? undefined : join(vitestDir, 'dist', from);
}

async function addVitestJsonReporter(vitestDir) {
  const chunk = vitestCoreChunk(vitestDir);
  if (chunk === undefined) throw new Error('no createVitest chunk');
  const namespace = await import(pathToFileURL(chunk).href);
  // Vitest 3 and 4 export the class from that chunk (`_setServer`); Vitest 2 does not.
  const Vitest = Object.values(namespace).find((value) => typeof value === 'function' && typeof value.prototype?._setServer === 'function');
  if (Vitest === undefined) {
    writeFileSync(join(outDir, `vitest-${process.pid}-unreachable.json`), '{}');
    return;
  }
  // Patched at once, before Vitest gets to `_setServer`; the reporter's module is loaded there.
  const setServer = Vitest.prototype._setServer;
  Vitest.prototype._setServer = async function setServerWithJson(...args) {
    if (this.mode !== 'benchmark') leave();
    const result = await setServer.apply(this, args);
    const { JsonReporter } = await import(pathToFileURL(join(vitestDir, 'dist', 'reporters.js')).href);
    if (this.mode !== 'benchmark' && Array.isArray(this.reporters))
      this.reporters.push(new JsonReporter({ outputFile: outputFile('vitest', vitestDir) }));
    return result;
  };
}

function watchForVitest() {
  const main = process.argv[1];
  const vitestDir = main === undefined ? undefined : vitestPackageOfBin(main);
  if (vitestDir === undefined) return;
  if (argvMode) {
    // The second run of the two-run fallback: Vitest's CLI reads process.argv after this.
    leave();
    process.argv.push('--reporter=json', `--outputFile=${outputFile('vitest', vitestDir)}`);
    return;
  }
  addVitestJsonReporter(vitestDir).catch((error) => {
    writeFileSync(join(outDir, `vitest-${process.pid}-unreachable.json`), JSON.stringify({ error: String(error) }));
  });
}

// ---- Loading: after Node compiles a runner's CommonJS module, before anything uses it.

const PATCHES = [
  [`${sep}jest-config${sep}build${sep}index.js`, patchJestConfig],
  [`${sep}mocha${sep}lib${sep}mocha.js`, patchMocha],
];

function hookCompile() {
  const Module = require('node:module');
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileAndPatch(content, filename, ...rest) {
    const result = compile.call(this, content, filename, ...rest);
    for (const [suffix, patch] of PATCHES) {
      // A runner loaded in a worker thread belongs to a test, as 3pio's preload decides too.
      if (filename.endsWith(suffix) && require('node:worker_threads').isMainThread) {
        try {
          patch(this.exports, filename);
        } catch {
          // The run goes on without JSON; the tool reports the run as one only 3pio saw.
        }
      }
    }
    return result;
  };
}

const STARTED = Symbol.for('compare-with-runner.started');
if (outDir !== undefined && outDir !== '' && globalThis[STARTED] !== true) {
  globalThis[STARTED] = true;
  hookCompile();
  watchForVitest();
}
