/**
 * `.3pio/runs` over many sessions, with the built `3pio` on a stand-in runner: `latest`
 * follows the runs, `3pio last` shows the last one again, two sessions at once in one
 * directory, and pruning that keeps N runs and never one in progress. A session is held
 * open by a runner that waits for a file the test creates: no sleeps.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '../../../tools/test-kit/index.js';

const cli = resolve(__dirname, '..', 'dist', 'cli', 'main.js');
const runner = join(__dirname, 'fixtures', 'run-history', 'runner.js');
const ipcModule = require.resolve('@3pio/ipc');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const copy: NodeJS.ProcessEnv = { ...process.env, SCRIPTED_IPC_MODULE: ipcModule, ...extra };
  delete copy.THREEPIO_IPC_PATH;
  delete copy.THREEPIO_KEEP_RUNS;
  return { ...copy, ...extra };
}

/** `3pio node runner.js` in `dir`, to its end. */
function session(dir: string, extra: NodeJS.ProcessEnv = {}, args: string[] = []) {
  return runProcess(process.execPath, [cli, ...args, 'node', runner], { cwd: dir, env: env(extra) });
}

/** The run ID a session printed on its `Run directory:` line. */
const runIdOf = (stdout: string) => /^Run directory: \.3pio\/runs\/(\S+)$/m.exec(stdout)?.[1] ?? '';
const runsDir = (dir: string) => join(dir, '.3pio', 'runs');
const entries = (dir: string) => readdirSync(runsDir(dir)).sort();
const latestOf = (dir: string) => readlinkSync(join(runsDir(dir), 'latest'));

/** Resolves once `path` exists: woken by the directory's watcher, checked once after it is set up. */
async function fileAppears(path: string, timeoutMs = 60_000): Promise<void> {
  const dir = join(path, '..');
  const watcher = watch(dir);
  try {
    const appeared = new Promise<void>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`${path} did not appear within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        if (!existsSync(path)) return;
        clearTimeout(timer);
        resolvePromise();
      };
      watcher.on('change', check);
      check();
    });
    await appeared;
  } finally {
    watcher.close();
  }
}

/** A session held open until release() is called; started resolves once its runner is running. */
function heldSession(dir: string, hold: string, file: string, extra: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [cli, 'node', runner], {
    cwd: dir,
    env: env({ ...extra, HOLD_DIR: hold, RUNNER_FILE: file }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout }));
  return {
    started: fileAppears(join(hold, `started-${file}`)),
    release: () => writeFileSync(join(hold, `release-${file}`), ''),
    exited,
  };
}

describe('.3pio/runs/latest and 3pio last', () => {
  it('says there is no last run, and exits 2, where nothing ran yet', async () => {
    const dir = tempDir('3pio-history-');
    const result = await runProcess(process.execPath, [cli, 'last'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('3pio last: no finished run in .3pio/runs. Run your tests through 3pio first, e.g. 3pio npm test.\n');
    expect(existsSync(join(dir, '.3pio'))).toBe(false);
  });

  it('points latest at each run as it finishes, and 3pio last prints that run’s summary again', async () => {
    const dir = tempDir('3pio-history-');
    const first = await session(dir, { RUNNER_FILE: 'one.test.js', RUNNER_FAIL: '1' });
    expect(first.code).toBe(1);
    expect(latestOf(dir)).toBe(runIdOf(first.stdout));
    expect(lstatSync(join(runsDir(dir), 'latest')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(runsDir(dir), 'latest', 'test-run.md'), 'utf8')).toContain('one.test.js');

    const last = await runProcess(process.execPath, [cli, 'last'], { cwd: dir, env: env() });
    expect(last.code).toBe(1);
    const id = runIdOf(first.stdout);
    // The failing file, its test and report, and the summary: as the run printed them.
    const shown = (text: string) => text.split('\n').filter((line) => /^(FAIL| {2}|PASS|FAILED|Summary)/.test(line));
    expect(shown(last.stdout)).toEqual(shown(first.stdout).slice(1));
    expect(last.stdout).toMatch(new RegExp(`^3pio last: node .*runner\\.js\\nRun directory: \\.3pio/runs/${id} \\(finished \\d{4}-`));

    const second = await session(dir, { RUNNER_FILE: 'two.test.js' });
    expect(second.code).toBe(0);
    expect(latestOf(dir)).toBe(runIdOf(second.stdout));
    expect(readFileSync(join(runsDir(dir), 'latest', 'test-run.md'), 'utf8')).toContain('two.test.js');
    const again = await runProcess(process.execPath, [cli, 'last'], { cwd: dir, env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^PASSED · files: 0 failed, 1 passed \(1\)/m);
    // `3pio last` wrote nothing.
    expect(entries(dir)).toEqual([runIdOf(first.stdout), runIdOf(second.stdout), 'latest'].sort());
  });

  it('with two sessions at once, latest is the one that finished last; the one in progress is never pruned', async () => {
    const dir = tempDir('3pio-history-');
    const hold = tempDir('3pio-hold-');
    const held = heldSession(dir, hold, 'held.test.js', { THREEPIO_KEEP_RUNS: '1' });
    await held.started;
    const heldId = entries(dir).find((name) => name !== 'latest')!;
    expect(existsSync(join(runsDir(dir), heldId, 'running.json'))).toBe(true);

    // Three sessions start and finish meanwhile, each keeping only the newest run.
    const others: string[] = [];
    for (const file of ['b.test.js', 'c.test.js', 'd.test.js']) {
      const result = await session(dir, { RUNNER_FILE: file, THREEPIO_KEEP_RUNS: '1' });
      expect(result.code).toBe(0);
      others.push(runIdOf(result.stdout));
      expect(latestOf(dir)).toBe(others.at(-1));
      // The held run is older than the newest one, and still there.
      expect(entries(dir)).toEqual([heldId, others.at(-1)!, 'latest']);
    }
    held.release();
    const { code, stdout } = await held.exited;
    expect(code).toBe(0);
    expect(runIdOf(stdout)).toBe(heldId);
    expect(latestOf(dir)).toBe(heldId);
    expect(existsSync(join(runsDir(dir), heldId, 'running.json'))).toBe(false);
    expect(readFileSync(join(runsDir(dir), 'latest', 'test-run.md'), 'utf8')).toContain('held.test.js');
    // The held run, finished, keeps itself and the newest run by start: d's.
    expect(entries(dir)).toEqual([heldId, others.at(-1)!, 'latest']);
  });
});

describe('pruning .3pio/runs', () => {
  it('keeps the newest N runs and deletes only old, finished run directories: no link, file or unknown directory', async () => {
    const dir = tempDir('3pio-history-');
    const outside = tempDir('3pio-outside-');
    writeFileSync(join(outside, 'precious.txt'), 'keep me');
    const ids: string[] = [];
    for (let n = 0; n < 4; n += 1) ids.push(runIdOf((await session(dir)).stdout));
    // Things in .3pio/runs that are not 3pio's runs, and a run left by a 3pio that was killed (a dead pid).
    writeFileSync(join(runsDir(dir), 'notes.txt'), 'mine');
    mkdirSync(join(runsDir(dir), 'my-stuff'));
    symlinkSync(outside, join(runsDir(dir), '20000101T000000000Z-deadbeef'));
    const crashed = '20000101T000000001Z-0badf00d';
    mkdirSync(join(runsDir(dir), crashed));
    const dead = spawn(process.execPath, ['-e', '0']);
    await once(dead, 'exit');
    writeFileSync(
      join(runsDir(dir), crashed, 'running.json'),
      JSON.stringify({ pid: dead.pid, host: (await import('node:os')).hostname() }),
    );

    const result = await session(dir, { THREEPIO_KEEP_RUNS: '2' });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const newest = runIdOf(result.stdout);
    expect(entries(dir)).toEqual(['20000101T000000000Z-deadbeef', ids[3]!, newest, 'latest', 'my-stuff', 'notes.txt'].sort());
    expect(readFileSync(join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(readFileSync(join(runsDir(dir), 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('keeps every run with THREEPIO_KEEP_RUNS=0, and warns about a value it cannot use and keeps the default 20', async () => {
    const dir = tempDir('3pio-history-');
    for (let n = 0; n < 3; n += 1) await session(dir, { THREEPIO_KEEP_RUNS: '0' });
    expect(entries(dir)).toHaveLength(4);
    const result = await session(dir, { THREEPIO_KEEP_RUNS: 'five' });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      '3pio: warning: THREEPIO_KEEP_RUNS="five" is not a whole number of runs (0 keeps all); keeping the last 20.\n',
    );
    expect(entries(dir)).toHaveLength(5);
    const kept = await session(dir, { THREEPIO_KEEP_RUNS: '1' });
    expect(entries(dir)).toEqual([runIdOf(kept.stdout), 'latest']);
  });
});
