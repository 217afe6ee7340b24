// Overhead of the adapter: a generated suite of 200 files × 25 tests, run by the bare
// Vitest with its default reporter and by Vitest with the adapter added, alternating,
// 5 times each; prints the medians and their ratio (target ≤ 1.05×). Not part of the tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = process.env.BENCH_VITEST_VERSION ?? '4.1.12';
const FILES = 200;
const TESTS = 25;
const ROUNDS = 5;

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const workspaceRoot = join(packageDir, '..', '..');
const adapter = join(packageDir, 'dist', 'index.js');

/** The runner installed by the tests (tools/test-kit installPackages), or a fresh install. */
function runnerModules() {
  const cached = join(workspaceRoot, 'node_modules', '.cache', '3pio-runners', `vitest-${VERSION}`, 'node_modules');
  if (existsSync(join(cached, 'vitest', 'package.json'))) return cached;
  const dir = mkdtempSync(join(tmpdir(), '3pio-bench-runner-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, dependencies: { vitest: VERSION } }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  return join(dir, 'node_modules');
}

function generateSuite() {
  const dir = mkdtempSync(join(tmpdir(), '3pio-bench-vitest-'));
  mkdirSync(join(dir, 'tests'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['tests/**/*.test.js'] } };\n");
  for (let f = 0; f < FILES; f += 1) {
    const tests = Array.from({ length: TESTS }, (_, t) => `  it('test ${t}', () => { expect(${t} + 1).toBe(${t + 1}); });`).join('\n');
    writeFileSync(
      join(dir, 'tests', `file${f}.test.js`),
      `import { describe, expect, it } from 'vitest';\n\ndescribe('file ${f}', () => {\n${tests}\n});\n`,
    );
  }
  symlinkSync(runnerModules(), join(dir, 'node_modules'), 'dir');
  return dir;
}

function timeRun(dir, reporters, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    [join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...reporters.map((r) => `--reporter=${r}`)],
    {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`vitest exited with ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const dir = generateSuite();
const ipcDir = mkdtempSync(join(tmpdir(), '3pio-bench-ipc-'));
try {
  timeRun(dir, ['default'], {}); // warm-up: file system caches, Vite's transform of the config
  const bare = [];
  const withAdapter = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    bare.push(timeRun(dir, ['default'], {}));
    withAdapter.push(timeRun(dir, ['default', adapter], { THREEPIO_IPC_PATH: join(ipcDir, `run-${round}.jsonl`) }));
  }
  const b = median(bare);
  const a = median(withAdapter);
  console.log(`vitest ${VERSION}, ${FILES} files × ${TESTS} tests, default pool, ${ROUNDS} alternating runs each`);
  console.log(`bare (default reporter):   median ${b.toFixed(0)} ms  [${bare.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`with @3pio/adapter-vitest: median ${a.toFixed(0)} ms  [${withAdapter.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`ratio: ${(a / b).toFixed(3)}× (target ≤ 1.05×)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(ipcDir, { recursive: true, force: true });
}
