// Overhead of the adapter: a generated suite of 200 files × 25 tests, run by the bare
// runner (Spec reporter) and by the runner with the adapter injected (which runs Spec
// inside itself), alternating, 11 runs each; prints the medians and their ratio, serial
// and --parallel. Not part of the tests. Usage: npm run bench [-- <mocha version>]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILES = 200;
const TESTS_PER_FILE = 25;
const RUNS = 11;
const version = process.argv[2] ?? '11.8.0';
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const adapter = join(packageDir, 'dist', 'index.js');

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

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const dir = mkdtempSync(join(tmpdir(), '3pio-mocha-bench-'));
try {
  const modules = mochaModules(dir);
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(modules, join(dir, 'node_modules'), 'dir');
  generate(dir);
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('THREEPIO_')) delete env[key];
  console.log(`mocha ${version}, ${FILES} files × ${TESTS_PER_FILE} tests, median of ${RUNS} alternating runs (Node ${process.version})`);
  for (const [mode, modeArgs] of [
    ['serial', []],
    ['parallel', ['--parallel', '--jobs', '2']],
  ]) {
    const bare = [];
    const adapted = [];
    for (let run = 0; run < RUNS; run += 1) {
      bare.push(time(dir, ['test/*.spec.js', ...modeArgs], env));
      const ipcPath = join(dir, 'events', `${mode}-${run}.jsonl`);
      adapted.push(time(dir, ['test/*.spec.js', ...modeArgs, '--reporter', adapter], { ...env, THREEPIO_IPC_PATH: ipcPath }));
    }
    const ratio = median(adapted) / median(bare);
    console.log(
      `${mode.padEnd(8)} bare ${median(bare).toFixed(0)} ms, with adapter ${median(adapted).toFixed(0)} ms, ratio ${ratio.toFixed(3)}×`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
