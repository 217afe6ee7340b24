// @ts-check
/**
 * What 3pio's preload costs a Node process that is not a test runner's (npm, nx, tsc,
 * eslint, the user's scripts…): every process of a command run through 3pio loads it.
 * Target: ≤ 1 ms per process start.
 *
 * Paired rounds: each round starts the same program without and with the session's
 * preload in NODE_OPTIONS, in random order, and the figure is the median of the
 * per-round differences (with the median of the per-round ratios). Programs: `node -e 0`
 * (start-up alone), and tsc and eslint printing their version (a large module, and a
 * few hundred modules, through the preload's compile hook). The floor: an empty file
 * given to --require, which is what any preload costs before it does anything.
 *
 * Wall time on a shared 2-core machine wanders by several ms between runs, more than
 * what is measured; `--instructions` counts `node -e 0`'s instructions instead, under
 * valgrind (median of 5 runs each), which repeats to within about ±3 M instructions.
 *
 * Usage: node bench/preload.mjs [--rounds N] [--instructions]   (default 101 rounds)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspace = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(import.meta.url);
const { sessionEnvironment, writeSessionPreload } = require('../dist/preload/session-env.js');

const roundsAt = process.argv.indexOf('--rounds');
const ROUNDS = roundsAt === -1 ? 101 : Number(process.argv[roundsAt + 1]);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  process.stderr.write('--rounds takes a positive whole number\n');
  process.exit(2);
}

const PROGRAMS = [
  ['node -e 0', ['-e', '0']],
  ['tsc --version', [join(workspace, 'node_modules', 'typescript', 'bin', 'tsc'), '--version']],
  ['eslint --version', [join(workspace, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--version']],
];

const session = mkdtempSync(join(tmpdir(), '3pio-bench-preload-'));
const ipcPath = join(session, 'ipc.jsonl');
const preloadPath = writeSessionPreload(session, ipcPath, join(workspace, 'packages', 'orchestrator', 'dist', 'preload', 'index.js'));
const emptyPreload = join(session, 'empty.cjs');
writeFileSync(emptyPreload, '');
const bare = { ...process.env };
delete bare.NODE_OPTIONS;
const withPreload = sessionEnvironment(bare, { ipcPath, preloadPath });
const withEmptyPreload = { ...bare, NODE_OPTIONS: `--require ${emptyPreload}` };

/** Instructions `node --single-threaded -e 0` executes with `env`, under valgrind. */
function instructions(/** @type {NodeJS.ProcessEnv} */ env) {
  const result = spawnSync(
    'valgrind',
    ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, '--single-threaded', '-e', '0'],
    { env, encoding: 'utf8' },
  );
  const count = /I\s+refs:\s+([\d,]+)/.exec(result.stderr)?.[1];
  if (count === undefined) throw new Error(`valgrind gave no count (is it installed?):\n${result.stderr}`);
  return Number(count.replaceAll(',', ''));
}

/** Wall time of one start, in ms. */
function time(/** @type {string[]} */ args, /** @type {NodeJS.ProcessEnv} */ env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (/** @type {number[]} */ values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

try {
  if (process.argv.includes('--instructions')) {
    const runs = (/** @type {NodeJS.ProcessEnv} */ env) => median(Array.from({ length: 5 }, () => instructions(env)));
    const [none, floor, preload] = [bare, withEmptyPreload, withPreload].map(runs);
    const mega = (/** @type {number} */ n) => `${(n / 1e6).toFixed(1)} M`;
    console.log('node -e 0, instructions (median of 5 under valgrind)');
    console.log('| | instructions | over bare node |');
    console.log('|---|---:|---:|');
    console.log(`| bare | ${mega(none)} | |`);
    console.log(`| --require of an empty file (any preload's floor) | ${mega(floor)} | ${mega(floor - none)} |`);
    console.log(`| 3pio's session preload | ${mega(preload)} | ${mega(preload - none)} |`);
    process.exit(0);
  }
  console.log(`preload cost, ${ROUNDS} paired rounds (loadavg ${(await import('node:os')).loadavg()[0]?.toFixed(2)})`);
  console.log('| program | bare (median) | with the preload (median) | difference (median of rounds) | ratio (median of rounds) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, args] of PROGRAMS) {
    const argv = /** @type {string[]} */ (args);
    const variants = [bare, withEmptyPreload, withPreload];
    for (const env of variants) time(argv, env);
    /** @type {number[][]} */
    const times = variants.map(() => []);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const index of [0, 1, 2].sort(() => Math.random() - 0.5)) times[index]?.push(time(argv, variants[index] ?? bare));
    }
    const [without = [], floor = [], withIt = []] = times;
    const over = (/** @type {number[]} */ values) => median(values.map((value, i) => value - (without[i] ?? NaN))).toFixed(2);
    const ratios = withIt.map((value, i) => value / (without[i] ?? NaN));
    console.log(
      `| ${name} | ${median(without).toFixed(1)} ms | ${median(withIt).toFixed(1)} ms | ${over(withIt)} ms (empty --require: ${over(floor)} ms) | ${median(ratios).toFixed(3)}× |`,
    );
  }
} finally {
  rmSync(session, { recursive: true, force: true });
}
