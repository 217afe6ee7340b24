/**
 * `3pio merge` of real sharded runs: a suite run whole, and the same suite run as three
 * shards in three copies of the project at different absolute paths (as on three CI
 * machines), each under its own 3pio with a label. The merge of the three shard runs must
 * give, test by test, the whole run's verdicts, its totals, its failures and output, and
 * its exit code. Then what merging must survive: overlapping shards, a garbage or
 * truncated source, an event file from before runs had IDs, runners of a monorepo.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installPackages, runProcess } from '../../../tools/test-kit/index.js';
import { cleanEnv, cli } from './support/run-3pio.js';
import { lastVerdictsInEvents } from './support/truth.js';

const fixture = join(__dirname, 'fixtures', 'shards');
const FILES = [1, 2, 3, 4, 5, 6].map((n) => `suite/part${n}.test.js`);

const RUNNERS = [
  ['jest', '30.5.2'],
  ['jest', '29.7.0'],
  ['mocha', '11.8.0'],
  ['mocha', '10.8.2'],
  ['vitest', '4.1.12'],
  ['vitest', '3.2.7'],
] as const;
type Runner = (typeof RUNNERS)[number][0];

/** The whole suite (no shard) or shard `index` of 3, as CI would run it: Mocha has no --shard, so the job splits the file list. */
function command(runner: Runner, shard?: number): string[] {
  const flag = shard === undefined ? [] : [`--shard=${shard}/3`];
  if (runner === 'jest') return ['npx', 'jest', ...flag, 'suite'];
  if (runner === 'vitest') return ['npx', 'vitest', 'run', ...flag];
  return ['npx', 'mocha', ...(shard === undefined ? FILES : FILES.filter((_, index) => index % 3 === shard - 1))];
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A new machine: the fixture copied to a directory of its own, under `name`, with the runner installed. */
function machine(runnerDir: string, name: string): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), '3pio-machine-')));
  roots.push(root);
  const dir = join(root, name);
  cpSync(fixture, dir, { recursive: true });
  symlinkSync(join(runnerDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function threepio(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return runProcess(process.execPath, [cli, ...args], { cwd: dir, env: { ...cleanEnv(), ...env } });
}

const latest = (dir: string) => join(dir, '.3pio', 'runs', 'latest');
const totalsLine = (stdout: string) =>
  /· files: .*$/m
    .exec(stdout)?.[0]
    .replace(/ · [\d.]+ m?s$/, '')
    .replace(/ · runs: \d+/, '');

describe.each(RUNNERS)('3pio merge of three %s %s shards from three machines', (runner, version) => {
  it('gives the whole run: every test’s verdict, the totals, the failure with its output, the exit code', async () => {
    const runnerDir = await installPackages(`${runner}-${version}`, { [runner]: version });
    const whole = machine(runnerDir, 'app');
    const wholeRun = await threepio(whole, command(runner));
    const shards = [1, 2, 3].map((shard) => machine(runnerDir, `app-${shard}`));
    const shardRuns = await Promise.all(
      shards.map((dir, index) => threepio(dir, command(runner, index + 1), { THREEPIO_LABEL: `shard ${index + 1}/3` })),
    );
    for (const shardRun of shardRuns) expect(shardRun.stdout).toMatch(/^(PASSED|FAILED) · /m);

    const merger = machine(runnerDir, 'merged');
    const merged = await threepio(merger, ['merge', ...shards.map(latest)]);
    expect(merged.code, merged.stdout).toBe(wholeRun.code === 0 ? 0 : 1);
    expect(wholeRun.code).not.toBe(0);
    expect(await lastVerdictsInEvents(join(latest(merger), 'ipc.jsonl'))).toEqual(
      await lastVerdictsInEvents(join(latest(whole), 'ipc.jsonl')),
    );
    expect(totalsLine(merged.stdout)).toBe(totalsLine(wholeRun.stdout));
    expect(merged.stdout).toContain('FAIL suite/part4.test.js (1 failed, 1 passed, 1 skipped)');
    const report = readFileSync(join(latest(merger), 'reports', 'suite', 'part4.test.js', 'index.md'), 'utf8');
    expect(report).toContain('part 4 compares wrongly');
    expect(report).toContain('part 4 is adding');
    const summary = readFileSync(join(latest(merger), 'test-run.md'), 'utf8');
    for (const shard of [1, 2, 3]) expect(summary).toMatch(new RegExp(`^\\| shard ${shard}/3 \\| 1 \\| 2 \\| 6 \\| `, 'm'));
    expect(readFileSync(join(latest(merger), 'junit.xml'), 'utf8')).toContain('tests="18"');

    // As CI artifacts: each shard packed on its machine, the packs merged on another.
    const packs = await Promise.all(shards.map((dir) => threepio(dir, ['pack'])));
    const fromPacks = machine(runnerDir, 'merged');
    const packed = await threepio(fromPacks, ['merge', ...packs.map((pack, index) => join(shards[index]!, pack.stdout.trim()))]);
    expect(packed.code, packed.stdout).toBe(merged.code);
    expect(await lastVerdictsInEvents(join(latest(fromPacks), 'ipc.jsonl'))).toEqual(
      await lastVerdictsInEvents(join(latest(whole), 'ipc.jsonl')),
    );
    expect(readFileSync(join(latest(fromPacks), 'test-run.md'), 'utf8')).toContain('| shard 2/3 | 1 | 2 | 6 | ');
  });
});

describe('3pio merge of sources it must not trust blindly', () => {
  it('flags overlapping shards, refuses garbage and truncated sources (exit 2) and merges the rest, reads an old-format event file', async () => {
    const runnerDir = await installPackages('jest-30.5.2', { jest: '30.5.2' });
    const one = machine(runnerDir, 'app');
    const two = machine(runnerDir, 'app');
    const shard = ['npx', 'jest', 'suite/part1.test.js', 'suite/part2.test.js'];
    await threepio(one, shard);
    // A retried CI job: the same shard again on another machine.
    await threepio(two, shard);
    const merger = machine(runnerDir, 'merged');
    const overlap = await threepio(merger, ['merge', latest(one), latest(two)]);
    expect(overlap.code).toBe(0);
    expect(overlap.stdout).toContain('2 test files reported by more than one source (overlapping shards, or a job run twice): each source');
    // Each source’s verdicts apart: 2 files twice.
    expect(overlap.stdout).toMatch(/^PASSED · runs: 2 · files: 0 failed, 4 passed \(4\) · tests: 0 failed, 8 passed, 4 skipped \(12\)/m);

    const garbage = join(merger, 'garbage.jsonl');
    writeFileSync(garbage, 'this is not an event\n{"eventType":\n');
    const truncated = join(merger, 'truncated.jsonl');
    const lines = readFileSync(join(latest(one), 'ipc.jsonl'), 'utf8');
    writeFileSync(truncated, lines.slice(0, lines.length - 20));
    // Events written before runs had IDs: no `run` in the envelope.
    const old = join(merger, 'old.jsonl');
    writeFileSync(
      old,
      lines
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          const { run: _run, ...rest } = JSON.parse(line) as Record<string, unknown>;
          return JSON.stringify(rest);
        })
        .join('\n') + '\n',
    );
    const runsBefore = readdirSync(join(merger, '.3pio', 'runs')).length;
    const mixed = await threepio(merger, ['merge', garbage, old, truncated, join(merger, 'missing.jsonl')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stdout).toMatch(
      /^3pio merge: refused .*garbage\.jsonl: 2 lines of its events cannot be read \(a truncated or corrupt file\)\.$/m,
    );
    expect(mixed.stdout).toMatch(/^3pio merge: refused .*truncated\.jsonl: a line of its events cannot be read/m);
    expect(mixed.stdout).toMatch(/^3pio merge: refused .*missing\.jsonl: no such file or directory\.$/m);
    expect(mixed.stdout).toMatch(/^PASSED · files: 0 failed, 2 passed \(2\)/m);
    expect(readdirSync(join(merger, '.3pio', 'runs')).length).toBe(runsBefore + 1);

    const nothing = await threepio(merger, ['merge', garbage]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/^3pio: Nothing to merge: 1 source refused: .*garbage\.jsonl/m);
    expect(readdirSync(join(merger, '.3pio', 'runs')).length).toBe(runsBefore + 1);
  });
});

describe('3pio merge of a monorepo’s runners run on three machines', () => {
  it('adds the Jest, Vitest and Mocha runs up to the run of the whole monorepo', async () => {
    const packages = { 'jest-pkg': ['jest', '30.5.2'], 'vitest-pkg': ['vitest', '4.1.12'], 'mocha-pkg': ['mocha', '11.8.0'] } as const;
    const runnerDirs = new Map<string, string>();
    for (const [name, [runner, version]] of Object.entries(packages))
      runnerDirs.set(name, await installPackages(`${runner}-${version}`, { [runner]: version }));
    const monorepo = () => {
      const root = realpathSync(mkdtempSync(join(tmpdir(), '3pio-machine-')));
      roots.push(root);
      const dir = join(root, 'mono');
      cpSync(join(__dirname, 'fixtures', 'monorepo'), dir, { recursive: true });
      for (const [name, runnerDir] of runnerDirs)
        symlinkSync(join(runnerDir, 'node_modules'), join(dir, 'packages', name, 'node_modules'), 'dir');
      return dir;
    };
    const whole = monorepo();
    const wholeRun = await threepio(whole, ['npm', 'test', '--workspaces']);
    const machines = Object.keys(packages).map(() => monorepo());
    await Promise.all(
      Object.keys(packages).map((name, index) =>
        threepio(machines[index]!, ['npm', 'test', '-w', `packages/${name}`], { THREEPIO_LABEL: name }),
      ),
    );
    const merger = monorepo();
    const merged = await threepio(merger, ['merge', ...machines.map(latest)]);
    expect(merged.code).toBe(wholeRun.code === 0 ? 0 : 1);
    expect(totalsLine(merged.stdout)).toBe(totalsLine(wholeRun.stdout));
    expect(merged.stdout).toContain('runs: 3 · ');
    expect(merged.stdout).not.toContain('more than one source');
    expect(await lastVerdictsInEvents(join(latest(merger), 'ipc.jsonl'))).toEqual(
      await lastVerdictsInEvents(join(latest(whole), 'ipc.jsonl')),
    );
  });
});
