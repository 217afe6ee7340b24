/**
 * `3pio --failed` on the real runners, two versions each: the narrowed run runs exactly
 * the tests that failed in the last run, as the runner's own JSON of that run lists
 * them (names full of regex characters, quotes and Unicode included), files that failed
 * to load run whole, a fixed suite passes and says so, and with nothing to run again
 * 3pio says so and runs nothing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAllEvents } from '@3pio/ipc/testing';
import { createFixtureProject, installPackages, runProcess, type FixtureProject } from '../../../tools/test-kit/index.js';
import { cleanEnv, cli } from './support/run-3pio.js';
import { lastVerdictsInEvents, testsInJestReport, testsInMochaReport } from './support/truth.js';

const fixture = join(__dirname, 'fixtures', 'failed');

const RUNNERS = [
  ['jest', '30.5.2'],
  ['jest', '29.7.0'],
  ['mocha', '11.8.0'],
  ['mocha', '10.8.2'],
  ['vitest', '4.1.12'],
  ['vitest', '3.2.7'],
] as const;
type Runner = (typeof RUNNERS)[number][0];

/** The command that runs the tests of `dir` (a folder of the fixture), and the runner's own JSON report of the same tests. */
const COMMANDS: Record<Runner, { command: (dir: string) => string[]; truth: (dir: string) => string[] }> = {
  jest: {
    command: (dir) => ['npx', 'jest', dir],
    truth: (dir) => ['node_modules/.bin/jest', dir, '--json', '--outputFile=truth.json'],
  },
  mocha: {
    command: (dir) => ['npx', 'mocha', `${dir}/*.test.js`],
    truth: (dir) => ['node_modules/.bin/mocha', `${dir}/*.test.js`, '--reporter', 'json', '--reporter-option', 'output=truth.json'],
  },
  vitest: {
    command: (dir) => ['npx', 'vitest', 'run', dir],
    truth: (dir) => ['node_modules/.bin/vitest', 'run', dir, '--reporter=json', '--outputFile=truth.json'],
  },
};

const projects: FixtureProject[] = [];
afterAll(async () => {
  await Promise.all(projects.map((project) => project.remove()));
});

async function projectFor(runner: Runner, version: string): Promise<string> {
  const project = await createFixtureProject(fixture, await installPackages(`${runner}-${version}`, { [runner]: version }));
  projects.push(project);
  return project.dir;
}

function threepio(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return runProcess(process.execPath, [cli, ...args], { cwd: dir, env: { ...cleanEnv(), ...env } });
}

/** The project's run directories, oldest first. */
function runDirs(dir: string): string[] {
  const runs = join(dir, '.3pio', 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs)
    .filter((name) => name !== 'latest')
    .sort()
    .map((name) => join(runs, name));
}

/** The tests the newest run ran (not skipped, not filtered out), as `file › full name › verdict`. */
async function testsRanInNewestRun(dir: string): Promise<string[]> {
  const tests = await lastVerdictsInEvents(join(runDirs(dir).at(-1)!, 'ipc.jsonl'));
  return tests.filter((test) => !test.endsWith(' › SKIP'));
}

/** The failing tests of `suite` by the runner's own JSON of a bare run, without their verdict. */
async function failingByTheRunner(runner: Runner, dir: string, suite: string): Promise<string[]> {
  const [program = '', ...args] = COMMANDS[runner].truth(suite);
  await runProcess(program, args, { cwd: dir, env: cleanEnv() });
  const tests = runner === 'mocha' ? testsInMochaReport(join(dir, 'truth.json'), dir) : testsInJestReport(join(dir, 'truth.json'), dir);
  return tests.filter((test) => test.endsWith(' › FAIL')).map((test) => test.slice(0, -' › FAIL'.length));
}

describe.each(RUNNERS)('3pio --failed with %s %s', (runner, version) => {
  it('runs exactly the tests that failed, whatever their names; once they pass it says so, then has nothing to run', async () => {
    const dir = await projectFor(runner, version);
    const command = COMMANDS[runner].command('names');
    const failing = await failingByTheRunner(runner, dir, 'names');
    expect(failing).toHaveLength(5);

    const full = await threepio(dir, command);
    expect(full.code, full.stdout).not.toBe(0);

    const narrowed = await threepio(dir, ['--failed', ...command]);
    expect(narrowed.code, narrowed.stdout).not.toBe(0);
    expect(narrowed.stdout).toMatch(/3pio --failed ran only what failed in run \S+ \(1 test file, 5 failing tests\)\./);
    expect(await testsRanInNewestRun(dir)).toEqual(failing.map((test) => `${test} › FAIL`));

    // The fix: the same tests run again, and pass.
    const fixed = await threepio(dir, ['--last-failed', ...command], { FIXED: '1' });
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(fixed.stdout).toMatch(/^PASSED · /m);
    expect(fixed.stdout).toContain('and it passes now; run the whole command once more: 3pio ');
    expect(await testsRanInNewestRun(dir)).toEqual(failing.map((test) => `${test} › PASS`));

    const runs = runDirs(dir).length;
    const nothing = await threepio(dir, ['--failed', ...command], { FIXED: '1' });
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toMatch(
      /^3pio --failed: nothing failed in the last run of `.*` \(\.3pio\/runs\/\S+\), so there is nothing to run again\./m,
    );
    expect(runDirs(dir)).toHaveLength(runs);
  });

  it('with no last run, says so and runs nothing; with --failed=all-if-none, runs everything', async () => {
    const dir = await projectFor(runner, version);
    const command = COMMANDS[runner].command('names');
    const none = await threepio(dir, ['--failed', ...command]);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(
      /^3pio --failed: there is no finished run of `.*` in \.3pio\/runs to take failures from, so there is nothing to run again\./m,
    );
    expect(runDirs(dir)).toEqual([]);

    const all = await threepio(dir, ['--failed=all-if-none', ...command]);
    expect(all.stdout).toContain('running the whole command.');
    expect(all.stdout).toMatch(/tests: 5 failed, 6 passed, 0 skipped \(11\)/);
  });
});

describe.each(RUNNERS.filter(([runner]) => runner !== 'mocha'))(
  '3pio --failed with %s %s and a file that failed to load',
  (runner, version) => {
    it('runs the failing files whole, the one that did not load included, and none of the others', async () => {
      const dir = await projectFor(runner, version);
      const command = COMMANDS[runner].command('broken');
      const full = await threepio(dir, command);
      expect(full.stdout).toMatch(/^FAIL broken\/does-not-load\.test\.js \(no tests ran\)/m);

      const narrowed = await threepio(dir, ['--failed', ...command]);
      expect(narrowed.stdout).toContain('run whole (one of them failed as a whole)');
      const { events } = await readAllEvents(join(runDirs(dir).at(-1)!, 'ipc.jsonl'));
      const files = events.flatMap((event) =>
        event.eventType === 'testFileResult' ? [event.payload.filePath.replace(/^.*\/broken\//, '')] : [],
      );
      expect(files.sort()).toEqual(['does-not-load.test.js', 'fails.test.js']);

      const fixed = await threepio(dir, ['--failed', ...command], { FIXED: '1' });
      expect(fixed.code, fixed.stdout).toBe(0);
      expect(fixed.stdout).toMatch(/tests: 0 failed, 3 passed, 0 skipped \(3\)/);
    });
  },
);

describe('3pio --failed after a Mocha run that stopped before any test file (a file threw as Mocha loaded it)', () => {
  it('cannot narrow it, says so, and runs the whole command', async () => {
    const dir = await projectFor('mocha', '11.8.0');
    const command = COMMANDS.mocha.command('broken');
    const full = await threepio(dir, command);
    expect(full.stdout).toMatch(/^ERROR · /m);
    const again = await threepio(dir, ['--failed', ...command]);
    expect(again.stdout).toMatch(/ended ERROR without a failing test file to run again: running the whole command\./);
    expect(runDirs(dir)).toHaveLength(2);
  });
});
