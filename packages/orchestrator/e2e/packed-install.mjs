// @ts-check
/**
 * The packages as a new user gets them: `npm pack` every package, make fresh projects
 * outside the workspace (one per runner, from examples/), install the tarballs together
 * with the real runner from the registry, and use them the documented ways:
 * `npx 3pio npm test`, the adapter configured by hand then `npx 3pio replay`, and
 * `npx 3pio --help`. A missing `files` entry, a wrong `exports` condition, a missing
 * runtime dependency or a bin without its shebang each make one of these fail; so does
 * a tarball without its metadata (license, keywords, types…) or with files it should not carry.
 * Exits non-zero with what failed. Run by .ci/run (`nx run 3pio:e2e`).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspace = fileURLToPath(new URL('../../..', import.meta.url));
const PACKAGES = ['@3pio/ipc', '@3pio/adapter-jest', '@3pio/adapter-vitest', '@3pio/adapter-mocha', '3pio'];
/** How each runner is configured by hand to use its adapter, and run. */
const RUNNERS = {
  jest: {
    version: '30.5.2',
    configure: (/** @type {string} */ dir) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      pkg.jest = { reporters: ['default', '@3pio/adapter-jest'] };
      writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    },
    byHand: ['npx', 'jest'],
  },
  vitest: {
    version: '4.1.12',
    configure: (/** @type {string} */ dir) =>
      writeFileSync(join(dir, 'vitest.config.js'), "export default { test: { reporters: ['default', '@3pio/adapter-vitest'] } };\n"),
    byHand: ['npx', 'vitest', 'run'],
  },
  mocha: {
    version: '11.8.0',
    configure: (/** @type {string} */ dir) =>
      writeFileSync(join(dir, '.mocharc.json'), JSON.stringify({ reporter: '@3pio/adapter-mocha', spec: ['tests/*.spec.js'] })),
    byHand: ['npx', 'mocha'],
  },
};

const env = { ...process.env, NO_COLOR: '1' };
delete env.THREEPIO_IPC_PATH;

/** Runs a command and returns its output; the exit code must be `expected`. */
function run(/** @type {string} */ cwd, /** @type {string[]} */ command, /** @type {number} */ expected) {
  const result = spawnSync(command[0] ?? '', command.slice(1), { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout}${result.stderr}`;
  assert.equal(result.status, expected, `\`${command.join(' ')}\` in ${cwd} exited ${result.status}, expected ${expected}:\n${output}`);
  return output;
}

function pack(/** @type {string} */ destination) {
  mkdirSync(destination);
  for (const name of PACKAGES) {
    execFileSync('npm', ['pack', '--silent', '--pack-destination', destination, '-w', name], {
      cwd: workspace,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return readdirSync(destination).map((file) => join(destination, file));
}

/** What a published package must carry: its metadata, and nothing but what it needs. */
function checkTarball(/** @type {string} */ tarball) {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
  const manifest = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  const name = manifest.name ?? tarball;
  for (const field of ['name', 'version', 'description']) assert.ok(manifest[field], `${name}: no ${field} in package.json`);
  assert.equal(manifest.license, 'MIT', `${name}: license`);
  assert.ok(Array.isArray(manifest.keywords) && manifest.keywords.length > 0, `${name}: no keywords`);
  assert.ok(Array.isArray(manifest.files), `${name}: no files whitelist`);
  for (const [entry, target] of Object.entries(manifest.exports ?? {})) {
    if (entry !== './package.json') assert.ok(typeof target === 'object' && target.types, `${name}: export ${entry} has no types`);
  }
  for (const needed of ['package/package.json', 'package/README.md', 'package/LICENSE'])
    assert.ok(files.includes(needed), `${name}: ${needed} missing`);
  const stray = files.filter((file) => !/^package\/(dist\/.*\.(js|d\.ts)|[A-Z]+\.md|LICENSE|package\.json)$/.test(file));
  assert.deepEqual(stray, [], `${name}: files that do not belong in the tarball`);
}

const root = mkdtempSync(join(tmpdir(), '3pio-e2e-'));
try {
  const tarballs = pack(join(root, 'tarballs'));
  assert.equal(tarballs.length, PACKAGES.length, `npm pack made ${tarballs.length} tarballs for ${PACKAGES.length} packages`);
  for (const tarball of tarballs) checkTarball(tarball);

  // 0. The tarballs alone, no runner: every entry point loads, and the reader's file
  //    watcher starts (a missing chokidar would only show as a fallback to polling).
  const bare = join(root, 'bare');
  mkdirSync(bare);
  writeFileSync(join(bare, 'package.json'), JSON.stringify({ private: true }));
  run(bare, ['npm', 'install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], 0);
  const probe = `
    for (const entry of ['@3pio/ipc', '@3pio/ipc/adapter', '@3pio/ipc/paths', '@3pio/ipc/reader', '@3pio/ipc/testing', '@3pio/adapter-jest', '@3pio/adapter-vitest', '@3pio/adapter-mocha']) require(entry);
    const { IpcManager } = require('@3pio/ipc');
    (async () => {
      const manager = await IpcManager.create(require('node:path').join(process.cwd(), 'probe.jsonl'));
      manager.watchEvents();
      console.log('watcher:', await manager.watcherReady());
      await manager.cleanup();
    })();`;
  assert.match(run(bare, ['node', '-e', probe], 0), /^watcher: native$/m);
  for (const [runner, spec] of Object.entries(RUNNERS)) {
    const dir = join(root, runner);
    cpSync(join(workspace, 'examples', runner), dir, {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|\.3pio)([\\/]|$)/.test(source),
    });
    process.stderr.write(`e2e: ${runner}: installing the tarballs and ${runner}@${spec.version}\n`);
    run(dir, ['npm', 'install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, `${runner}@${spec.version}`], 0);

    // 1. The main use: 3pio runs the project's own test script.
    const main = run(dir, ['npx', '3pio', 'npm', 'test'], 1);
    const file = runner === 'mocha' ? 'tests/math.spec.js' : 'tests/math.test.js';
    assert.match(main, new RegExp(`FAIL ${file} \\(1 failed, 1 passed`), main);
    assert.match(main, /✕ math › divides/);
    const runs = readdirSync(join(dir, '.3pio', 'runs')).filter((name) => name !== 'latest');
    assert.equal(runs.length, 1);
    const summary = readFileSync(join(dir, '.3pio', 'runs', runs[0] ?? '', 'test-run.md'), 'utf8');
    assert.match(summary, /- Status: \*\*FAILED\*\* \(exit code 1\)/);
    assert.match(summary, /- Tests: \d+ \(3 passed, 1 failed, \d skipped\)/);
    // The agent's loop as the README gives it: the newest run at a stable path, its summary again, JUnit XML for CI.
    assert.equal(readFileSync(join(dir, '.3pio', 'runs', 'latest', 'test-run.md'), 'utf8'), summary);
    assert.match(readFileSync(join(dir, '.3pio', 'runs', 'latest', 'junit.xml'), 'utf8'), /<testsuites [^>]*failures="1"/);
    assert.match(run(dir, ['npx', '3pio', 'last'], 1), new RegExp(`FAIL ${file} \\(1 failed, 1 passed`));

    // 2. The adapter configured by hand, then its events turned into reports.
    spec.configure(dir);
    const byHand = run(dir, spec.byHand, 1);
    const shown = /3pio: test events written to (\S+) \(reports: npx 3pio replay \1\)/.exec(byHand)?.[1];
    assert.ok(shown, `no hand-configured notice in:\n${byHand}`);
    const replayed = run(dir, ['npx', '3pio', 'replay', shown], 1);
    assert.match(replayed, new RegExp(`FAIL ${file} \\(1 failed, 1 passed`), replayed);

    // 3. Configured by hand and run through 3pio: the adapter 3pio registers reports, the user's stands aside.
    const through = run(dir, ['npx', '3pio', 'npm', 'test'], 1);
    assert.match(through, new RegExp(`FAIL ${file} \\(1 failed, 1 passed`), through);
    const newest =
      readdirSync(join(dir, '.3pio', 'runs'))
        .sort()
        .at(-1) ?? '';
    assert.match(
      readFileSync(join(dir, '.3pio', 'runs', newest, 'test-run.md'), 'utf8'),
      /- Tests: \d+ \(3 passed, 1 failed, \d skipped\)/,
    );
    process.stderr.write(`e2e: ${runner}: ok\n`);
  }
  const help = run(join(root, 'jest'), ['npx', '3pio', '--help'], 0);
  assert.match(help, /Usage:\n {2}3pio \[options\] <command…>/);
  console.log('e2e: the packed packages work as installed from tarballs, for Jest, Vitest and Mocha.');
} finally {
  rmSync(root, { recursive: true, force: true });
}
