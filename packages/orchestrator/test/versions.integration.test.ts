/**
 * The oldest runner versions 3pio supports (Jest 27 and 28, Vitest 2.1, Mocha 8 and 9),
 * each the last release of its line: the built `3pio` on small projects, checked test by
 * test against the runner's own JSON report of the same project. And a runner older than
 * that: 3pio says so before the run, the runner runs with its own output, and the exit
 * code is the runner's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureProject, installPackages, runProcess, type FixtureProject } from '../../../tools/test-kit/index.js';
import { cleanEnv, onlyRunDir, run3pio } from './support/run-3pio.js';
import { lastVerdictsInEvents, testsInJestReport, testsInMochaReport } from './support/truth.js';

const examples = resolve(__dirname, '..', '..', '..', 'examples');
const fixtures = join(__dirname, 'fixtures');

type Runner = 'jest' | 'mocha' | 'vitest';

interface Project {
  /** The fixture project, copied for each run. */
  fixture: string;
  /** What the user types under 3pio. */
  command: string[];
  /** The runner's arguments that run the same tests, for its JSON report. */
  runnerArgs: string[];
}

interface VersionCase {
  runner: Runner;
  version: string;
  /** Installed beside the runner: what its projects need (ts-jest and its TypeScript for Jest). */
  extras?: Record<string, string>;
  projects: Project[];
}

/** ts-jest's TypeScript (ts-jest 27 wants < 5) and the Babel plugin of the `transformed` fixture. */
const TRANSFORMS = { typescript: '4.9.5', '@babel/plugin-transform-modules-commonjs': '7.29.17' };

const jestProjects: Project[] = [
  { fixture: join(examples, 'jest'), command: ['npm', 'test'], runnerArgs: [] },
  { fixture: join(fixtures, 'duplicates'), command: ['npm', 'run', 'test:jest'], runnerArgs: ['tests'] },
  { fixture: join(fixtures, 'retries'), command: ['npm', 'run', 'test:jest'], runnerArgs: ['jest-suite'] },
  // TypeScript through ts-jest, ES modules through babel-jest.
  { fixture: join(fixtures, 'transformed'), command: ['npm', 'test'], runnerArgs: [] },
];

const mochaProjects: Project[] = [
  { fixture: join(examples, 'mocha'), command: ['npm', 'test'], runnerArgs: ['tests/**/*.spec.js'] },
  {
    fixture: join(examples, 'mocha'),
    command: ['npx', 'mocha', '--parallel', '--jobs', '2', 'tests/**/*.spec.js'],
    runnerArgs: ['tests/**/*.spec.js'],
  },
  { fixture: join(fixtures, 'duplicates'), command: ['npm', 'run', 'test:mocha'], runnerArgs: ['tests'] },
  { fixture: join(fixtures, 'retries'), command: ['npm', 'run', 'test:mocha'], runnerArgs: ['mocha-suite'] },
];

const cases: VersionCase[] = [
  { runner: 'jest', version: '27.5.1', extras: { 'ts-jest': '27.1.5', ...TRANSFORMS }, projects: jestProjects },
  { runner: 'jest', version: '28.1.3', extras: { 'ts-jest': '28.0.8', ...TRANSFORMS }, projects: jestProjects },
  {
    runner: 'vitest',
    version: '2.1.9',
    projects: [
      // `vitest` alone: watch mode, which 3pio turns off.
      { fixture: join(examples, 'vitest'), command: ['npm', 'test'], runnerArgs: [] },
      { fixture: join(fixtures, 'duplicates'), command: ['npm', 'run', 'test:vitest'], runnerArgs: ['--dir', 'vitest-suite'] },
      { fixture: join(fixtures, 'retries'), command: ['npm', 'run', 'test:vitest'], runnerArgs: ['--dir', 'vitest-suite'] },
    ],
  },
  { runner: 'mocha', version: '9.2.2', projects: mochaProjects },
  { runner: 'mocha', version: '8.4.0', projects: mochaProjects },
];

const UNSUPPORTED = { runner: 'vitest', version: '1.6.1' } as const;

/** Every install this file needs, started at once (the kit installs each once per machine, safely in parallel). */
const installs = new Map<string, Promise<string>>();
function install(runner: string, version: string, extras: Record<string, string> = {}): Promise<string> {
  const id = [`${runner}-${version}`, ...Object.entries(extras).map(([name, at]) => `${name.replace(/[@/]/g, '')}-${at}`)].join('-');
  let installing = installs.get(id);
  if (installing === undefined) {
    installing = installPackages(id, { [runner]: version, ...extras });
    installs.set(id, installing);
  }
  return installing;
}

beforeAll(async () => {
  await Promise.all([...cases.map((c) => install(c.runner, c.version, c.extras)), install(UNSUPPORTED.runner, UNSUPPORTED.version)]);
});

const projects: FixtureProject[] = [];
afterAll(async () => {
  await Promise.all(projects.map((project) => project.remove()));
});

async function copyOf(fixture: string, runnerDir: string): Promise<string> {
  const project = await createFixtureProject(fixture, runnerDir);
  projects.push(project);
  return project.dir;
}

interface Truth {
  /** `<file> › <suite chain and title> › <verdict>`, sorted. */
  tests: string[];
  /** Mocha's JSON tells same-named tests' verdicts apart only in its counts: then only the names and the counts are compared. */
  verdictsByName: boolean;
  counts: Record<'failed' | 'passed' | 'skipped', number>;
  code: number | null;
}

/** The runner's own verdict on every test, from its JSON reporter, and its exit code. */
async function runnerTruth(runner: Runner, dir: string, args: string[]): Promise<Truth> {
  const report = join(dir, 'truth.json');
  const command: Record<Runner, string[]> = {
    jest: ['node_modules/.bin/jest', ...args, '--json', `--outputFile=${report}`],
    vitest: ['node_modules/.bin/vitest', 'run', ...args, '--reporter=json', `--outputFile=${report}`],
    // Mocha 8 writes its JSON to stdout only (`output=` came in 9), after what the tests printed.
    mocha: ['node_modules/.bin/mocha', ...args, '--reporter', 'json'],
  };
  const [program = '', ...rest] = command[runner];
  const result = await runProcess(program, rest, { cwd: dir, env: cleanEnv() });
  if (runner !== 'mocha') {
    const tests = testsInJestReport(report, dir);
    return { tests, verdictsByName: true, counts: countsOf(tests), code: result.code };
  }
  const json = result.stdout.slice(result.stdout.search(/^\{$/m));
  writeFileSync(report, json);
  const { stats } = JSON.parse(json) as { stats: Record<'passes' | 'failures' | 'pending', number> };
  const counts = { failed: stats.failures, passed: stats.passes, skipped: stats.pending };
  return { tests: testsInMochaReport(report, dir), verdictsByName: false, counts, code: result.code };
}

const withoutVerdict = (test: string) => test.replace(/ › (PASS|FAIL|SKIP)$/, '');

/** `{ failed, passed, skipped }` of a list of `… › PASS|FAIL|SKIP` lines. */
function countsOf(tests: string[]): Record<'failed' | 'passed' | 'skipped', number> {
  const count = (verdict: string) => tests.filter((test) => test.endsWith(` › ${verdict}`)).length;
  return { failed: count('FAIL'), passed: count('PASS'), skipped: count('SKIP') };
}

describe.each(cases)('3pio with $runner $version', ({ runner, version, extras, projects: shapes }) => {
  it.each(shapes.map((shape) => [shape.command.join(' '), shape] as const))(
    '`3pio %s` reports each test as the runner does',
    async (_name, { fixture, command, runnerArgs }) => {
      const dir = await copyOf(fixture, await install(runner, version, extras));
      const truth = await runnerTruth(runner, dir, runnerArgs);
      expect(truth.counts.failed, 'every project has a failing test').toBeGreaterThan(0);

      const result = await run3pio(dir, command);
      expect(result.stderr).toBe('');
      expect(result.code, result.stdout).toBe(truth.code);
      const tests = await lastVerdictsInEvents(join(onlyRunDir(dir), 'ipc.jsonl'));
      if (truth.verdictsByName) expect(tests).toEqual(truth.tests);
      else expect(tests.map(withoutVerdict)).toEqual(truth.tests.map(withoutVerdict));
      expect(countsOf(tests)).toEqual(truth.counts);
      const { failed, passed, skipped } = truth.counts;
      expect(result.stdout).toMatch(new RegExp(`^FAILED · .* · tests: ${failed} failed, ${passed} passed, ${skipped} skipped `, 'm'));
      expect(readFileSync(join(onlyRunDir(dir), 'test-run.md'), 'utf8')).toContain(`| ${runner} ${version} |`);
    },
  );
});

describe(`3pio with ${UNSUPPORTED.runner} ${UNSUPPORTED.version}, older than it supports`, () => {
  const message = "Vitest 1.6.1 is older than 3pio supports (2.1 and later): running it without 3pio's reports";

  it('says so before the run, shows the runner’s own output, and exits with the runner’s code', async () => {
    const dir = await copyOf(join(examples, 'vitest'), await install(UNSUPPORTED.runner, UNSUPPORTED.version));
    const bare = await runProcess('node_modules/.bin/vitest', ['run'], { cwd: dir, env: cleanEnv() });
    expect(bare.code).toBe(1);

    const result = await run3pio(dir, ['npx', 'vitest', 'run']);
    expect(result.code, result.stdout).toBe(bare.code);
    const lines = result.stdout.split('\n');
    const noteAt = lines.indexOf(`note (run 1, vitest 1.6.1 in .): ${message}`);
    const outputAt = lines.indexOf("The tests ran without 3pio's reports. The end of the command's output:");
    expect(noteAt, result.stdout).toBeGreaterThan(-1);
    expect(outputAt).toBeGreaterThan(noteAt);
    // Vitest's own summary of the run it made without 3pio.
    expect(lines.slice(outputAt).join('\n')).toMatch(/Tests\s+1 failed \| 3 passed/);
    expect(result.stdout).toMatch(/^FAILED · files: 0 failed, 0 passed \(0\)/m);
    expect(result.stdout).toContain(`${message}. Its results are only in the runner's own output (output.log), not in this report.`);
    const summary = readFileSync(join(onlyRunDir(dir), 'test-run.md'), 'utf8');
    expect(summary).toContain('| 1 | UNSUPPORTED | . | vitest 1.6.1 |');
  });

  it('does not call a passing run PASSED: 3pio saw no test of it', async () => {
    const dir = await copyOf(join(examples, 'vitest'), await install(UNSUPPORTED.runner, UNSUPPORTED.version));
    const result = await run3pio(dir, ['npx', 'vitest', 'run', 'tests/strings.test.js']);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`note (run 1, vitest 1.6.1 in .): ${message}`);
    expect(result.stdout).toMatch(/^NO TESTS · /m);
    expect(result.stdout).not.toMatch(/^PASSED/m);
  });
});
