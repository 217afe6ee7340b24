// Overhead of the adapter: a generated suite of 200 files × 25 tests, run by the bare
// runner (Spec reporter) and by the runner with the adapter injected (which runs Spec
// inside itself), 11 rounds of one run each in random order; prints the medians, their
// ratio and the median of the per-round ratios ("paired": a slow moment of the machine
// slows both runs of a round), serial and --parallel. Not part of the tests.
// Usage: npm run bench [-- <mocha version>] [--rounds N] [--files F --tests T]
// (--files 1 --tests 1 measures start-up) [--reporter <path>].
//
// With --instructions (needs valgrind): instead of wall time, the instructions a serial run
// executes (cachegrind, V8 single-threaded), bare and with the adapter, twice each. Wall
// times on a shared 2-core machine vary by 5-15% from run to run, so a change of a point
// or two needs ~100 paired runs to show; instruction counts repeat within ~0.3%. They
// leave out system calls and cache misses (the wall-time ratio is 2-3 points higher), and
// under valgrind everything is ~50× slower, so the 1 ms batch window holds fewer events
// and the run pays more writes than a real one: compare versions with it, not with the target.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const VALUE_OPTIONS = ['--reporter', '--rounds', '--files', '--tests'];
/** The value after `name`, if given. */
function option(name) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}
/** A positive whole number given as `name`, else `fallback`. */
function count(name, fallback) {
  const value = Number(option(name) ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a whole number of at least 1, not ${option(name)}`);
  return value;
}
const FILES = count('--files', 200);
const TESTS_PER_FILE = count('--tests', 25);
const RUNS = count('--rounds', 11);
const instructions = process.argv.includes('--instructions');
const version = process.argv.slice(2).find((arg, i, args) => !arg.startsWith('--') && !VALUE_OPTIONS.includes(args[i - 1])) ?? '11.8.0';
const packageDir = fileURLToPath(new URL('..', import.meta.url));
// --reporter <path>: benchmark another reporter in the adapter's place, serial runs only
// (bench/floor-reporter.cjs, which knows nothing of --parallel).
const otherReporter = option('--reporter');
const adapter = otherReporter === undefined ? join(packageDir, 'dist', 'index.js') : resolve(otherReporter);

/** The runner the tests installed (tools/test-kit installPackages), else a fresh install. */
function mochaModules(dir) {
  const cached = join(packageDir, '..', '..', 'node_modules', '.cache', '3pio-runners', `mocha-${version}`, 'node_modules');
  if (existsSync(join(cached, 'mocha'))) return cached;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, dependencies: { mocha: version } }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--loglevel=error'], {
    cwd: dir,
    stdio: 'inherit',
  });
  return join(dir, 'node_modules');
}

function generate(dir) {
  mkdirSync(join(dir, 'test'));
  for (let f = 0; f < FILES; f += 1) {
    const tests = [];
    for (let t = 0; t < TESTS_PER_FILE; t += 1) {
      const body = t === 0 ? `console.log('file ${f} says hello');` : `assert.strictEqual(${t} + 1, ${t + 1});`;
      tests.push(`    it('test ${t}', () => { ${body} });`);
    }
    writeFileSync(
      join(dir, 'test', `file${f}.spec.js`),
      `const assert = require('node:assert');\ndescribe('file ${f}', () => {\n  describe('group', () => {\n${tests.join('\n')}\n  });\n});\n`,
    );
  }
}

function time(dir, args, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(dir, 'node_modules', 'mocha', 'bin', 'mocha.js'), ...args], {
    cwd: dir,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`mocha exited with ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Instructions executed by one serial run under cachegrind. */
function countInstructions(dir, args, env) {
  const result = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      '--single-threaded',
      join(dir, 'node_modules', 'mocha', 'bin', 'mocha.js'),
      ...args,
    ],
    { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(result.stderr ?? '');
  if (result.status !== 0 || refs === null)
    throw new Error(`valgrind failed (is it installed?): ${result.error?.message ?? result.stderr}`);
  return Number(refs[1].replaceAll(',', ''));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const dir = mkdtempSync(join(tmpdir(), '3pio-mocha-bench-'));
try {
  const modules = mochaModules(dir);
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(modules, join(dir, 'node_modules'), 'dir');
  generate(dir);
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('THREEPIO_')) delete env[key];
  if (instructions) {
    const ipcPath = join(dir, 'events', 'instructions.jsonl');
    const counts = { bare: [], adapted: [] };
    for (let run = 0; run < 2; run += 1) {
      counts.bare.push(countInstructions(dir, ['test/*.spec.js'], env));
      counts.adapted.push(countInstructions(dir, ['test/*.spec.js', '--reporter', adapter], { ...env, THREEPIO_IPC_PATH: ipcPath }));
    }
    const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
    const billions = (values) => values.map((value) => (value / 1e9).toFixed(3)).join(', ');
    console.log(`mocha ${version}, ${FILES} files × ${TESTS_PER_FILE} tests, serial, instructions executed (Node ${process.version})`);
    console.log(
      `bare ${billions(counts.bare)} G, with adapter ${billions(counts.adapted)} G, ratio ${(mean(counts.adapted) / mean(counts.bare)).toFixed(4)}×`,
    );
  } else {
    console.log(`mocha ${version}, ${FILES} files × ${TESTS_PER_FILE} tests, medians of ${RUNS} rounds (Node ${process.version})`);
    const modes = [
      ['serial', []],
      ['parallel', ['--parallel', '--jobs', '2']],
    ];
    for (const [mode, modeArgs] of otherReporter === undefined ? modes : modes.slice(0, 1)) {
      const bare = [];
      const adapted = [];
      const paired = [];
      for (let run = 0; run < RUNS; run += 1) {
        const ipcPath = join(dir, 'events', `${mode}-${run}.jsonl`);
        const runBare = () => time(dir, ['test/*.spec.js', ...modeArgs], env);
        const runAdapted = () => time(dir, ['test/*.spec.js', ...modeArgs, '--reporter', adapter], { ...env, THREEPIO_IPC_PATH: ipcPath });
        const bareFirst = Math.random() < 0.5;
        const [first, second] = bareFirst ? [runBare(), runAdapted()] : [runAdapted(), runBare()];
        bare.push(bareFirst ? first : second);
        adapted.push(bareFirst ? second : first);
        paired.push(adapted[run] / bare[run]);
      }
      const ratio = median(adapted) / median(bare);
      console.log(
        `${mode.padEnd(8)} bare ${median(bare).toFixed(0)} ms, with adapter ${median(adapted).toFixed(0)} ms, ` +
          `ratio ${ratio.toFixed(3)}×, paired ${median(paired).toFixed(3)}×`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
