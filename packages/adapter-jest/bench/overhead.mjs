// Overhead of the adapter: Jest with its default reporter vs Jest with the adapter added,
// on a generated suite of 200 files × 25 tests. Median of 5 alternating runs of each.
// Usage: node bench/overhead.mjs [extra jest args, e.g. --maxWorkers=2]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const JEST_VERSION = '30.5.2';
const FILES = 200;
const TESTS = 25;
const ROUNDS = 5;
const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const adapter = join(packageDir, 'dist', 'index.js');
const extraArgs = process.argv.slice(2);

// The test-kit's runner cache when the tests already filled it; else a one-off install.
function jestModules() {
  const cached = join(packageDir, '..', '..', 'node_modules', '.cache', '3pio-runners', `jest-${JEST_VERSION}`);
  if (existsSync(join(cached, '.installed'))) return join(cached, 'node_modules');
  const dir = mkdtempSync(join(tmpdir(), '3pio-bench-jest-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, dependencies: { jest: JEST_VERSION } }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--loglevel=error'], {
    cwd: dir,
    stdio: 'inherit',
  });
  return join(dir, 'node_modules');
}

function generateProject() {
  const dir = mkdtempSync(join(tmpdir(), '3pio-bench-suite-'));
  mkdirSync(join(dir, 'tests'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ private: true, jest: { testEnvironment: 'node', transform: {}, cacheDirectory: '<rootDir>/.jest-cache' } }),
  );
  const tests = Array.from({ length: TESTS }, (_, i) => `  test('test ${i}', () => {\n    expect(${i} + 1).toBe(${i + 1});\n  });`).join(
    '\n',
  );
  for (let f = 0; f < FILES; f++) {
    writeFileSync(join(dir, 'tests', `file${f}.test.js`), `describe('file ${f}', () => {\n${tests}\n});\n`);
  }
  symlinkSync(jestModules(), join(dir, 'node_modules'), 'dir');
  return dir;
}

function timeRun(dir, withAdapter, round) {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.THREEPIO_IPC_PATH;
  const args = [join('node_modules', 'jest', 'bin', 'jest.js'), ...extraArgs, '--reporters=default'];
  if (withAdapter) {
    env.THREEPIO_IPC_PATH = join(dir, 'events', `run-${round}.jsonl`);
    args.push(`--reporters=${adapter}`);
  }
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`jest exited with ${result.status}:\n${result.stderr.toString().slice(-2000)}`);
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const dir = generateProject();
try {
  console.log(`jest ${JEST_VERSION}, ${FILES} files × ${TESTS} tests, args: ${extraArgs.join(' ') || '(none)'}`);
  timeRun(dir, false, -1); // warm-up: fills Jest's cache and the OS file cache
  const bare = [];
  const withAdapter = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate, so that drift in the machine's load hits both sides alike.
    bare.push(timeRun(dir, false, round));
    withAdapter.push(timeRun(dir, true, round));
  }
  const fmt = (values) => values.map((ms) => ms.toFixed(0)).join(', ');
  console.log(`bare (default reporter):  median ${median(bare).toFixed(0)} ms  [${fmt(bare)}]`);
  console.log(`with the adapter:         median ${median(withAdapter).toFixed(0)} ms  [${fmt(withAdapter)}]`);
  console.log(`ratio: ${(median(withAdapter) / median(bare)).toFixed(3)}× (target ≤ 1.05×)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
