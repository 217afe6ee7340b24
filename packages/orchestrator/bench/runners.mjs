// @ts-check
/**
 * 3pio on real runners, on a generated suite of 200 files × 25 tests with 10 failing
 * tests, against the bare runner with its default reporter, for Jest, Vitest and Mocha:
 *
 * - context efficiency: the bytes 3pio prints vs the bytes the runner prints. Target:
 *   ≤ 15%, while naming every failing test and the path to its report;
 * - overhead: wall time of `3pio npx <runner>` vs bare `npx <runner>` (the issue's
 *   definition), median of 5 alternating runs each after a warm-up. Target: ≤ 1.10×.
 *   Mocha, which runs this suite in about 0.3 s, is also measured without npx
 *   (`node_modules/.bin/mocha`), where npx's own ~0.25 s is not in the baseline.
 *
 * Usage: node bench/runners.mjs [jest|vitest|mocha …]   (default: all three)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILES = 200;
const TESTS = 25;
const FAILING = 10;
const ROUNDS = 5;
const TARGETS = { consoleShare: 0.15, overhead: 1.1 };

const workspace = fileURLToPath(new URL('../../..', import.meta.url));
const cli = join(workspace, 'packages', 'orchestrator', 'dist', 'cli', 'main.js');

/** @type {Record<string, { version: string, commands: string[][], header: string, test: (name: string, body: string) => string, assert: (a: string, b: string) => string, type?: string }>} */
const RUNNERS = {
  jest: {
    version: '30.5.2',
    commands: [['npx', 'jest']],
    header: '',
    test: (name, body) => `  it('${name}', () => {\n    ${body}\n  });`,
    assert: (a, b) => `expect(${a}).toBe(${b});`,
  },
  vitest: {
    version: '4.1.12',
    commands: [['npx', 'vitest', 'run']],
    header: "import { describe, expect, it } from 'vitest';\n\n",
    test: (name, body) => `  it('${name}', () => {\n    ${body}\n  });`,
    assert: (a, b) => `expect(${a}).toBe(${b});`,
    type: 'module',
  },
  mocha: {
    version: '11.8.0',
    commands: [
      ['npx', 'mocha', 'tests/*.test.js'],
      ['node_modules/.bin/mocha', 'tests/*.test.js'],
    ],
    header: "const assert = require('node:assert');\n\n",
    test: (name, body) => `  it('${name}', () => {\n    ${body}\n  });`,
    assert: (a, b) => `assert.strictEqual(${a}, ${b});`,
  },
};

/** The test runner's modules: the tests' cache when it is filled, else a one-off install. */
function runnerModules(/** @type {string} */ runner, /** @type {string} */ version) {
  const cached = join(workspace, 'node_modules', '.cache', '3pio-runners', `${runner}-${version}`);
  if (existsSync(join(cached, '.installed'))) return join(cached, 'node_modules');
  const dir = mkdtempSync(join(tmpdir(), `3pio-bench-${runner}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, dependencies: { [runner]: version } }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--loglevel=error'], {
    cwd: dir,
    stdio: 'inherit',
  });
  return join(dir, 'node_modules');
}

/** 200 files × 25 tests; every 20th file has one failing test, 10 in all. */
function generateSuite(/** @type {string} */ runner) {
  const spec = RUNNERS[runner];
  if (spec === undefined) throw new Error(`unknown runner ${runner}`);
  const dir = mkdtempSync(join(tmpdir(), `3pio-bench-suite-${runner}-`));
  mkdirSync(join(dir, 'tests'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ private: true, ...(spec.type ? { type: spec.type } : {}), jest: { testEnvironment: 'node', transform: {} } }),
  );
  const failing = new Set();
  for (let f = 0; f < FILES; f += 1) {
    const tests = [];
    for (let t = 0; t < TESTS; t += 1) {
      const fails = f % (FILES / FAILING) === 0 && t === 3;
      if (fails) failing.add(`module ${f} › computes value ${t}`);
      tests.push(spec.test(`computes value ${t}`, spec.assert(`${t} * 2`, fails ? `${t * 2 + 1}` : `${t * 2}`)));
    }
    writeFileSync(join(dir, 'tests', `file${f}.test.js`), `${spec.header}describe('module ${f}', () => {\n${tests.join('\n')}\n});\n`);
  }
  symlinkSync(runnerModules(runner, spec.version), join(dir, 'node_modules'), 'dir');
  return { dir, failing, commands: spec.commands };
}

function run(/** @type {string} */ dir, /** @type {string[]} */ argv) {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.THREEPIO_IPC_PATH;
  const started = process.hrtime.bigint();
  const result = spawnSync(argv[0] ?? '', argv.slice(1), { cwd: dir, env, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, output: `${result.stdout}${result.stderr}`, status: result.status };
}

const median = (/** @type {number[]} */ values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const rows = [];
for (const runner of process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(RUNNERS)) {
  const { dir, failing, commands } = generateSuite(runner);
  try {
    for (const command of commands) {
      process.stderr.write(`bench: ${command.join(' ')}: warm-up\n`);
      run(dir, command);
      run(dir, [process.execPath, cli, ...command]);
      const bare = [];
      const threePio = [];
      let bareBytes = 0;
      let threePioOutput = '';
      for (let round = 0; round < ROUNDS; round += 1) {
        process.stderr.write(`bench: ${command.join(' ')}: round ${round + 1} of ${ROUNDS}\n`);
        const b = run(dir, command);
        const t = run(dir, [process.execPath, cli, ...command]);
        if (b.status !== t.status) throw new Error(`${runner}: 3pio exited ${t.status}, the bare runner ${b.status}`);
        bare.push(b.ms);
        threePio.push(t.ms);
        bareBytes = Buffer.byteLength(b.output);
        threePioOutput = t.output;
      }
      const named = [...failing].filter((test) => threePioOutput.includes(`✕ ${test}`)).length;
      const reportPaths = (threePioOutput.match(/ {2}→ \.3pio\/runs\/\S+\/reports\/tests\/file\d+\.test\.js\/index\.md/g) ?? []).length;
      const share = Buffer.byteLength(threePioOutput) / bareBytes;
      const overhead = median(threePio) / median(bare);
      rows.push({
        runner: command.slice(0, command[0] === 'npx' ? 2 : 1).join(' '),
        bareBytes,
        threePioBytes: Buffer.byteLength(threePioOutput),
        share,
        named,
        reportPaths,
        bare: median(bare),
        threePio: median(threePio),
        overhead,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pass = (/** @type {boolean} */ ok) => (ok ? 'PASS' : 'MISS');
console.log(`## 3pio on real runners: ${FILES} files × ${TESTS} tests, ${FAILING} failing\n`);
console.log(`Node ${process.version}; medians of ${ROUNDS} alternating runs after a warm-up.\n`);
console.log(
  '| Runner | Runner output | 3pio console | Share (≤ 15%) | Failing tests named | Report paths | Bare | 3pio | Overhead (≤ 1.10×) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  console.log(
    `| ${row.runner} | ${row.bareBytes} B | ${row.threePioBytes} B | ${(row.share * 100).toFixed(1)}% ${pass(row.share <= TARGETS.consoleShare)} | ${row.named}/${FAILING} ${pass(row.named === FAILING)} | ${row.reportPaths} | ${row.bare.toFixed(0)} ms | ${row.threePio.toFixed(0)} ms | ${row.overhead.toFixed(3)}× ${pass(row.overhead <= TARGETS.overhead)} |`,
  );
}
