/**
 * The built `3pio` binary on small projects with the real Jest, Mocha and Vitest, in
 * the shapes people type, checked against each runner's own JSON report of the same
 * project: the same totals, the failing test named, its report on disk with the
 * output the test printed, the runner's exit code.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFixtureProject,
  installPackages,
  linkWorkspacePackages,
  runProcess,
  type FixtureProject,
  type ProcessResult,
} from '../../../tools/test-kit/index.js';

const cli = resolve(__dirname, '..', 'dist', 'cli', 'main.js');
// The bundled examples the README's quick start runs: one source for the demo and these tests.
const fixtures = resolve(__dirname, '..', '..', '..', 'examples');

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

interface RunnerCase {
  runner: 'jest' | 'mocha' | 'vitest';
  version: string;
  testFile: string;
  failingTest: string;
  /** The runner's own verdict on the project, from its JSON reporter. */
  groundTruth(dir: string): Promise<Totals>;
  shapes: string[][];
}

const env = () => {
  const copy: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete copy.THREEPIO_IPC_PATH;
  return copy;
};

async function jsonOf(dir: string, command: string[], outputFile?: string): Promise<unknown> {
  const result = await runProcess(command[0]!, command.slice(1), { cwd: dir, env: env() });
  return JSON.parse(outputFile === undefined ? result.stdout : readFileSync(join(dir, outputFile), 'utf8'));
}

async function jestTruth(dir: string): Promise<Totals> {
  const json = (await jsonOf(dir, ['node_modules/.bin/jest', '--json', '--outputFile=truth.json'], 'truth.json')) as Record<string, number>;
  return { passed: json.numPassedTests!, failed: json.numFailedTests!, skipped: json.numPendingTests! + json.numTodoTests! };
}

const cases: RunnerCase[] = [
  {
    runner: 'jest',
    version: '30.5.2',
    testFile: 'tests/math.test.js',
    failingTest: 'math › divides',
    groundTruth: jestTruth,
    shapes: [
      ['npm', 'test'],
      ['npx', 'jest'],
      ['node_modules/.bin/jest', 'tests'],
    ],
  },
  {
    runner: 'jest',
    version: '29.7.0',
    testFile: 'tests/math.test.js',
    failingTest: 'math › divides',
    groundTruth: jestTruth,
    shapes: [['npm', 'test']],
  },
  {
    runner: 'mocha',
    version: '11.8.0',
    testFile: 'tests/math.spec.js',
    failingTest: 'math › divides',
    async groundTruth(dir) {
      // The tests print to stdout too: the JSON goes to a file.
      const command = ['node_modules/.bin/mocha', 'tests/**/*.spec.js', '--reporter', 'json', '--reporter-option', 'output=truth.json'];
      const { stats } = (await jsonOf(dir, command, 'truth.json')) as { stats: Record<string, number> };
      return { passed: stats.passes!, failed: stats.failures!, skipped: stats.pending! };
    },
    shapes: [
      ['npm', 'test'],
      ['npx', 'mocha', 'tests/**/*.spec.js'],
      ['npx', 'mocha', '--parallel', '--jobs', '2', 'tests/**/*.spec.js'],
    ],
  },
  {
    runner: 'vitest',
    version: '4.1.12',
    testFile: 'tests/math.test.js',
    failingTest: 'math › divides',
    async groundTruth(dir) {
      const json = (await jsonOf(
        dir,
        ['node_modules/.bin/vitest', 'run', '--reporter=json', '--outputFile=truth.json'],
        'truth.json',
      )) as Record<string, number>;
      return { passed: json.numPassedTests!, failed: json.numFailedTests!, skipped: json.numPendingTests! + json.numTodoTests! };
    },
    shapes: [
      ['npm', 'test'],
      ['npx', 'vitest', 'run'],
      ['npx', 'vitest'],
    ],
  },
];

const projects: FixtureProject[] = [];
afterAll(async () => {
  await Promise.all(projects.map((project) => project.remove()));
});

function totalsIn(summary: string): Totals & { files: string } {
  const tests = /^- Tests: \d+ \((\d+) passed, (\d+) failed, (\d+) skipped\)$/m.exec(summary);
  const files = /^- Files: (.*)$/m.exec(summary);
  if (tests === null || files === null) throw new Error(`no totals in:\n${summary}`);
  return { passed: Number(tests[1]), failed: Number(tests[2]), skipped: Number(tests[3]), files: files[1]! };
}

describe.each(cases)('3pio with $runner $version', (testCase) => {
  let truth: Totals;
  const runs = new Map<string, { result: ProcessResult; dir: string; runDir: string }>();

  beforeAll(async () => {
    const runnerDir = await installPackages(`${testCase.runner}-${testCase.version}`, { [testCase.runner]: testCase.version });
    const truthProject = await createFixtureProject(join(fixtures, testCase.runner), runnerDir);
    projects.push(truthProject);
    truth = await testCase.groundTruth(truthProject.dir);
    await Promise.all(
      testCase.shapes.map(async (shape) => {
        const project = await createFixtureProject(join(fixtures, testCase.runner), runnerDir);
        projects.push(project);
        const result = await runProcess(process.execPath, [cli, ...shape], { cwd: project.dir, env: env() });
        const runsDir = join(project.dir, '.3pio', 'runs');
        const runDir = existsSync(runsDir) ? join(runsDir, readdirSync(runsDir)[0]!) : '';
        runs.set(shape.join(' '), { result, dir: project.dir, runDir });
      }),
    );
  });

  it.each(testCase.shapes.map((shape) => [shape.join(' ')]))('`3pio %s` reports what the runner reports', (shape) => {
    const { result, runDir } = runs.get(shape)!;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const summary = readFileSync(join(runDir, 'test-run.md'), 'utf8');
    expect(totalsIn(summary)).toMatchObject(truth);
    expect(summary).toContain('- Status: **FAILED** (exit code 1)');

    const reportPath = join(runDir, 'reports', ...testCase.testFile.split('/'), 'index.md');
    expect(result.stdout).toContain(`FAIL ${testCase.testFile} (1 failed`);
    expect(result.stdout).toContain(`  → ${reportPath.slice(runs.get(shape)!.dir.length + 1)}\n  ✕ ${testCase.failingTest}\n`);
    expect(result.stdout).toMatch(/^FAILED · files: /m);
    const report = readFileSync(reportPath, 'utf8');
    expect(report).toContain(`### ✕ ${testCase.failingTest}`);
    expect(report).toContain('dividing 1 by 2');

    const log = readFileSync(join(runDir, 'output.log'), 'utf8');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain('\u001b[');
  });
});

describe('3pio on a script that runs two runners (jest && mocha)', () => {
  it('adds each runner its own adapter, and reports the files of both', async () => {
    const runnerDir = await installPackages('jest-30.5.2-mocha-11.8.0', { jest: '30.5.2', mocha: '11.8.0' });
    const project = await createFixtureProject(join(__dirname, 'fixtures', 'two-runners'), runnerDir);
    projects.push(project);
    const result = await runProcess(process.execPath, [cli, 'npm', 'test'], { cwd: project.dir, env: env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL integration/api.spec.js (1 failed, 1 passed)');
    const summary = summaryOf(project.dir);
    expect(totalsIn(summary)).toMatchObject({ passed: 3, failed: 1, skipped: 0, files: '2 (1 passed, 1 failed, 0 skipped)' });
    expect(summary).toContain('[unit/sum.test.js]');
    expect(summary).toContain('[integration/api.spec.js]');
  });
});

describe('3pio when the runner cannot run the tests', () => {
  it('shows the runner’s own error when its config is broken', async () => {
    const runnerDir = await installPackages('jest-30.5.2', { jest: '30.5.2' });
    const project = await createFixtureProject(join(fixtures, 'jest'), runnerDir);
    projects.push(project);
    writeFileSync(join(project.dir, 'jest.config.js'), "throw new Error('config exploded: missing preset ts-jest');\n");
    const result = await runProcess(process.execPath, [cli, 'npx', 'jest'], { cwd: project.dir, env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("No test runner reported a run. The end of the command's output:");
    expect(result.stdout).toContain('config exploded: missing preset ts-jest');
    expect(result.stdout).toMatch(/^ERROR · runs: 0 · files: 0 failed, 0 passed \(0\)/m);
  });
});

/** The directory of the project's only run. */
function onlyRunDir(projectDir: string): string {
  const runsDir = join(projectDir, '.3pio', 'runs');
  return join(runsDir, readdirSync(runsDir)[0]!);
}

/** The test-run.md of the project's only run. */
function summaryOf(projectDir: string): string {
  return readFileSync(join(onlyRunDir(projectDir), 'test-run.md'), 'utf8');
}

/** 3pio's verdict on the Jest or Vitest example is right, and the project's own reporter ran too (it leaves a mark). */
function expectOwnReporterKept(result: ProcessResult, projectDir: string): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('FAIL tests/math.test.js (1 failed, 1 passed, 2 skipped)');
  expect(result.stdout).not.toContain('note: the reporters');
  expect(readFileSync(join(projectDir, 'own-reporter-ran.txt'), 'utf8')).toBe('yes');
  expect(totalsIn(summaryOf(projectDir))).toMatchObject({ passed: 3, failed: 1, skipped: 2 });
}

describe.each([
  ['jest', '30.5.2'],
  ['mocha', '11.8.0'],
] as const)('3pio when a %s %s test calls process.exit(0)', (runner, version) => {
  it('exits 1 where the runner exits 0, and says the run is incomplete', async () => {
    const runnerDir = await installPackages(`${runner}-${version}`, { [runner]: version });
    const project = await createFixtureProject(join(__dirname, 'fixtures', 'exit-zero'), runnerDir);
    projects.push(project);
    const bare = await runProcess('npm', ['run', `test:${runner}`], { cwd: project.dir, env: env() });
    expect(bare.code, bare.stdout + bare.stderr).toBe(0);
    const result = await runProcess(process.execPath, [cli, 'npm', 'run', `test:${runner}`], { cwd: project.dir, env: env() });
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/^FAILED · /m);
    expect(result.stdout).toContain('The command exited 0, but the run is incomplete: 3pio exits 1.');
    // b's test ended the process: b never finished (Jest's adapter says so as it exits); Mocha names its files up front, so c is named too.
    expect(result.stdout).toMatch(/^(INCOMPLETE|FAIL) tests\/b\.test\.js/m);
    if (runner === 'mocha')
      expect(result.stdout).toMatch(/announced 3 test files and gave results for 1: 2 never ran: tests\/b\.test\.js, tests\/c\.test\.js\./);
    else expect(result.stdout).toMatch(/announced 3 test files and gave results for \d: \d never ran\./);
  });
});

/** Every runner version the tests below run on, and where each runner's tests are in their fixture. */
const ALL_RUNNERS = [
  ['jest', '30.5.2'],
  ['jest', '29.7.0'],
  ['mocha', '11.8.0'],
  ['mocha', '10.8.2'],
  ['vitest', '4.1.12'],
  ['vitest', '3.2.7'],
] as const;

type Runner = (typeof ALL_RUNNERS)[number][0];

/** The runner's own totals for the tests in `suiteDir` of the project, from its JSON reporter. */
async function runnerTotals(runner: Runner, dir: string, suiteDir: string): Promise<Totals> {
  const command: Record<Runner, string[]> = {
    jest: ['node_modules/.bin/jest', suiteDir, '--json', '--outputFile=truth.json'],
    mocha: ['node_modules/.bin/mocha', suiteDir, '--reporter', 'json', '--reporter-option', 'output=truth.json'],
    vitest: ['node_modules/.bin/vitest', 'run', '--dir', suiteDir, '--reporter=json', '--outputFile=truth.json'],
  };
  return totalsOfJson((await jsonOf(dir, command[runner], 'truth.json')) as Record<string, unknown>);
}

describe.each(ALL_RUNNERS)('3pio on %s %s tests that share their names', (runner, version) => {
  it('counts every one of them, as the runner does, and names the failing twin', async () => {
    const runnerDir = await installPackages(`${runner}-${version}`, { [runner]: version });
    const project = await createFixtureProject(join(__dirname, 'fixtures', 'duplicates'), runnerDir);
    projects.push(project);
    const truth = await runnerTotals(runner, project.dir, runner === 'vitest' ? 'vitest-suite' : 'tests');
    const result = await runProcess(process.execPath, [cli, 'npm', 'run', `test:${runner}`], { cwd: project.dir, env: env() });
    expect(result.code, result.stdout).toBe(exitCodeOf(runner, truth));
    expect(totalsIn(summaryOf(project.dir))).toMatchObject(truth);
    expect(truth).toMatchObject({ failed: 2 });
    expect(result.stdout).toContain('  ✕ twins › same name\n');
    expect(result.stdout).toContain('  ✕ twin suites › same suite › same test\n');
  });
});

describe.each(ALL_RUNNERS)('3pio on %s %s tests it retries', (runner, version) => {
  it('counts each retried test once, with its last verdict and its attempts in the report', async () => {
    const runnerDir = await installPackages(`${runner}-${version}`, { [runner]: version });
    const project = await createFixtureProject(join(__dirname, 'fixtures', 'retries'), runnerDir);
    projects.push(project);
    const truth = await runnerTotals(runner, project.dir, `${runner}-suite`);
    expect(truth).toEqual({ failed: 1, passed: 2, skipped: 0 });
    const result = await runProcess(process.execPath, [cli, 'npm', 'run', `test:${runner}`], { cwd: project.dir, env: env() });
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/tests: 1 failed, 2 passed, 0 skipped \(3\)/);
    const reports = join(onlyRunDir(project.dir), 'reports', `${runner}-suite`);
    const report = readFileSync(join(reports, readdirSync(reports)[0] ?? '', 'index.md'), 'utf8');
    expect(report).toMatch(/passes on its third attempt.* · passed on attempt 3$/m);
    expect(report).toMatch(/fails every attempt.* · failed all 3 attempts$/m);
    expect(report).toMatch(/passes at once(?!.*attempt).*$/m);
  });
});

describe.each(ALL_RUNNERS.filter(([runner]) => runner !== 'mocha'))(
  '3pio on %s %s with one test file in two projects',
  (runner, version) => {
    it('keeps each project’s run of the file apart, as the runner does, and names the project that failed', async () => {
      const runnerDir = await installPackages(`${runner}-${version}`, { [runner]: version });
      const project = await createFixtureProject(join(__dirname, 'fixtures', 'projects'), runnerDir);
      projects.push(project);
      const truth = await runnerTotals(runner, project.dir, runner === 'vitest' ? '.' : 'shared');
      expect(truth).toEqual({ failed: 1, passed: 3, skipped: 2 });
      const result = await runProcess(process.execPath, [cli, 'npm', 'run', `test:${runner}`], { cwd: project.dir, env: env() });
      expect(result.code, result.stdout).toBe(1);
      expect(totalsIn(summaryOf(project.dir))).toMatchObject({ ...truth, files: '2 (1 passed, 1 failed, 0 skipped)' });
      expect(result.stdout).toContain('FAIL shared/both.test.js [beta] (1 failed, 1 passed, 1 skipped)\n');
      expect(result.stdout).toContain('  ✕ shared › fails in beta only\n');
    });
  },
);

describe.each(ALL_RUNNERS.filter(([runner]) => runner === 'vitest'))('3pio on %s %s tests it repeats', (runner, version) => {
  it('counts each repeated test once, as Vitest does, failed when a repeat failed', async () => {
    const runnerDir = await installPackages(`${runner}-${version}`, { [runner]: version });
    const project = await createFixtureProject(join(__dirname, 'fixtures', 'repeats'), runnerDir);
    projects.push(project);
    const truth = await runnerTotals(runner, project.dir, 'tests');
    expect(truth).toEqual({ failed: 1, passed: 1, skipped: 0 });
    const result = await runProcess(process.execPath, [cli, 'npm', 'test'], { cwd: project.dir, env: env() });
    expect(result.code, result.stdout).toBe(1);
    expect(totalsIn(summaryOf(project.dir))).toMatchObject(truth);
    expect(result.stdout).toContain('  ✕ fails on its second run\n');
  });
});

/** The exit code of a run with failures: Mocha's is its count of failures. */
function exitCodeOf(runner: Runner, truth: Totals): number {
  return runner === 'mocha' ? Math.min(truth.failed, 255) : 1;
}

/** Totals from Jest's and Vitest's `--json` (the same shape) or Mocha's json reporter. */
function totalsOfJson(json: Record<string, unknown>): Totals {
  const stats = json.stats as Record<string, number> | undefined;
  if (stats !== undefined) return { failed: stats.failures!, passed: stats.passes!, skipped: stats.pending! };
  const counts = json as Record<string, number>;
  return { failed: counts.numFailedTests!, passed: counts.numPassedTests!, skipped: counts.numPendingTests! + counts.numTodoTests! };
}

/** What the tampering fixture's tests print before they silence the process: every line must reach the reports. */
const PRINTED_BEFORE_THE_SILENCE: Record<Runner, string[]> = {
  mocha: ['printed under @sinonjs/fake-timers', 'printed under sinon fake timers', 'printed before the silence'],
  jest: ['printed under fake timers', 'printed before the failure', 'printed before the silence'],
  vitest: ['printed under fake timers', 'printed before the failure', 'printed before the silence'],
};

describe.each(ALL_RUNNERS)('3pio on %s %s tests that fake the timers and break Date, JSON, fs.writeSync and stdout', (runner, version) => {
  it('loses no event and no output: the totals are the runner’s own, the failure named, the lines printed in the reports', async () => {
    // Mocha runs the tests in its own process, beside the adapter: sinon and @sinonjs/fake-timers fake its clock.
    const runnerDir =
      runner === 'mocha'
        ? await installPackages(`mocha-${version}-sinon-22.1.0`, { mocha: version, sinon: '22.1.0', '@sinonjs/fake-timers': '15.5.0' })
        : await installPackages(`${runner}-${version}`, { [runner]: version });
    const project = await createFixtureProject(join(__dirname, 'fixtures', 'tampering'), runnerDir);
    projects.push(project);
    let truth: Totals;
    if (runner === 'mocha') {
      // Mocha's json reporter would use the broken JSON.stringify, and its spec summary is silenced: its runner.stats are the truth.
      await runProcess('node_modules/.bin/mocha', ['tests', '--reporter', './truth-reporter.cjs'], { cwd: project.dir, env: env() });
      const stats = JSON.parse(readFileSync(join(project.dir, 'truth.json'), 'utf8')) as Record<string, number>;
      truth = { failed: stats.failures!, passed: stats.passes!, skipped: stats.pending! };
    } else {
      truth = await runnerTotals(runner, project.dir, `${runner}-suite`);
    }
    expect(truth).toMatchObject({ failed: runner === 'mocha' ? 3 : 1, skipped: 1 });
    const script = runner === 'mocha' ? 'test' : `test:${runner}`;
    const result = await runProcess(process.execPath, [cli, 'npm', 'run', script], { cwd: project.dir, env: env() });
    expect(result.code, result.stdout).toBe(exitCodeOf(runner, truth));
    expect(totalsIn(summaryOf(project.dir))).toMatchObject(truth);
    expect(result.stdout).toContain('  ✕ tests that tamper with the process › fails after all that');
    expect(result.stdout).not.toMatch(/problems? reading the event file/);
    const reports = join(onlyRunDir(project.dir), 'reports');
    const printed = readdirSync(reports, { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.md'))
      .map((path) => readFileSync(join(reports, path), 'utf8'))
      .join('\n');
    for (const line of PRINTED_BEFORE_THE_SILENCE[runner]) expect(printed).toContain(line);
  });
});

describe('3pio on a Jest project whose config sets reporters of its own', () => {
  it.each([
    ['30.5.2', 'jest.config.js', "module.exports = { reporters: ['default', ['./own-reporter.cjs', { mark: 'yes' }]] };\n"],
    ['29.7.0', 'package.json', ''],
  ])('keeps them running beside 3pio’s (Jest %s, config in %s)', async (version, file, text) => {
    const runnerDir = await installPackages(`jest-${version}`, { jest: version });
    const project = await createFixtureProject(join(fixtures, 'jest'), runnerDir);
    projects.push(project);
    writeFileSync(
      join(project.dir, 'own-reporter.cjs'),
      "module.exports = class { constructor(_g, options) { this.mark = options?.mark ?? 'yes'; } onRunComplete() { require('node:fs').writeFileSync(__dirname + '/own-reporter-ran.txt', this.mark); } };\n",
    );
    if (file === 'package.json') {
      const pkg = JSON.parse(readFileSync(join(project.dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(
        join(project.dir, 'package.json'),
        JSON.stringify({ ...pkg, jest: { reporters: ['default', '<rootDir>/own-reporter.cjs'] } }),
      );
    } else {
      writeFileSync(join(project.dir, file), text);
    }
    const result = await runProcess(process.execPath, [cli, 'npx', 'jest'], { cwd: project.dir, env: env() });
    expectOwnReporterKept(result, project.dir);
  });
});

describe('3pio on a Vitest project whose config sets reporters of its own', () => {
  it.each(['3.2.7', '4.1.12'])('keeps them running beside 3pio’s (Vitest %s)', async (version) => {
    const runnerDir = await installPackages(`vitest-${version}`, { vitest: version });
    const project = await createFixtureProject(join(fixtures, 'vitest'), runnerDir);
    projects.push(project);
    // A TypeScript config in the function form, with a project reporter that leaves a mark.
    writeFileSync(
      join(project.dir, 'own-reporter.js'),
      "import { writeFileSync } from 'node:fs';\n" +
        'export default class { onFinished() { this.mark(); } onTestRunEnd() { this.mark(); } ' +
        "mark() { writeFileSync(new URL('./own-reporter-ran.txt', import.meta.url), 'yes'); } }\n",
    );
    writeFileSync(
      join(project.dir, 'vitest.config.ts'),
      "import { defineConfig } from 'vitest/config';\n" +
        "export default defineConfig(() => ({ test: { reporters: ['default', './own-reporter.js'] } }));\n",
    );
    const result = await runProcess(process.execPath, [cli, 'npx', 'vitest', 'run'], { cwd: project.dir, env: env() });
    expectOwnReporterKept(result, project.dir);
  });
});

describe('3pio on a project that configured 3pio’s adapter itself', () => {
  it.each([
    ['jest', '30.5.2', 'tests/math.test.js', { passed: 3, failed: 1, skipped: 2 }],
    ['vitest', '4.1.12', 'tests/math.test.js', { passed: 3, failed: 1, skipped: 2 }],
    ['mocha', '11.8.0', 'tests/math.spec.js', { passed: 3, failed: 1, skipped: 1 }],
  ] as const)(
    'reports each %s test once: the adapter 3pio registers, not the configured copy of it',
    async (runner, version, file, totals) => {
      const runnerDir = await installPackages(`${runner}-${version}`, { [runner]: version });
      const project = await createFixtureProject(join(fixtures, runner), runnerDir);
      projects.push(project);
      // The same package 3pio registers, resolved from the project as users install it.
      await linkWorkspacePackages(project.dir, runnerDir, ['ipc', `adapter-${runner}`]);
      if (runner === 'jest')
        writeFileSync(join(project.dir, 'jest.config.js'), "module.exports = { reporters: ['default', '@3pio/adapter-jest'] };\n");
      if (runner === 'vitest')
        writeFileSync(
          join(project.dir, 'vitest.config.js'),
          "export default { test: { reporters: ['default', '@3pio/adapter-vitest'] } };\n",
        );
      if (runner === 'mocha') writeFileSync(join(project.dir, '.mocharc.json'), JSON.stringify({ reporter: '@3pio/adapter-mocha' }));
      const result = await runProcess(process.execPath, [cli, 'npm', 'test'], { cwd: project.dir, env: env() });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`FAIL ${file} (1 failed, 1 passed`);
      expect(totalsIn(summaryOf(project.dir))).toMatchObject(totals);
      // The configured copy wrote no event file of its own.
      expect(existsSync(join(project.dir, '.3pio', 'ipc'))).toBe(false);
    },
  );
});

describe('3pio on a project whose .mocharc asks for watch mode', () => {
  it('runs the tests once and reports them', async () => {
    const runnerDir = await installPackages('mocha-11.8.0', { mocha: '11.8.0' });
    const project = await createFixtureProject(join(fixtures, 'mocha'), runnerDir);
    projects.push(project);
    writeFileSync(join(project.dir, '.mocharc.json'), JSON.stringify({ watch: true }));
    // In watch mode Mocha would never exit: the kill after 60 s shows as a null exit code.
    const result = await runProcess(process.execPath, [cli, 'npx', 'mocha', 'tests/*.spec.js'], {
      cwd: project.dir,
      env: env(),
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL tests/math.spec.js (1 failed, 1 passed, 1 skipped)');
  });
});

describe('3pio replay of the events an adapter wrote when configured by hand', () => {
  it('rebuilds the same reports a 3pio run gives', async () => {
    const runnerDir = await installPackages('mocha-11.8.0', { mocha: '11.8.0' });
    const project = await createFixtureProject(join(fixtures, 'mocha'), runnerDir);
    projects.push(project);
    // Mocha run by hand with the adapter as its reporter: no THREEPIO_IPC_PATH, so it picks .3pio/ipc/<run id>.jsonl.
    const byHand = await runProcess('node_modules/.bin/mocha', ['tests/*.spec.js', '--reporter', require.resolve('@3pio/adapter-mocha')], {
      cwd: project.dir,
      env: env(),
    });
    expect(byHand.code).toBe(1);
    const shown = /3pio: test events written to (\S+) \(reports: npx 3pio replay \1\)/.exec(byHand.stdout)?.[1];
    expect(shown).toMatch(/^\.3pio\/ipc\/.*\.jsonl$/);

    const replayed = await runProcess(process.execPath, [cli, 'replay', shown!], { cwd: project.dir, env: env() });
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toContain('FAIL tests/math.spec.js (1 failed, 1 passed, 1 skipped)');
    expect(replayed.stdout).toContain('  ✕ math › divides');
    const summary = summaryOf(project.dir);
    expect(totalsIn(summary)).toMatchObject({ passed: 3, failed: 1, skipped: 1 });
  });
});

describe('3pio through yarn and pnpm', () => {
  const shapes = [
    ['pnpm', 'test'],
    ['pnpm', 'run', 'test'],
    ['pnpm', 'exec', 'jest'],
    ['yarn', 'test'],
    ['yarn', 'jest'],
  ];
  let binDir: string;
  let runnerDir: string;

  beforeAll(async () => {
    // The package managers themselves, from the npm registry: this machine has neither.
    binDir = join(await installPackages('pnpm-9.15.9-yarn-1.22.22', { pnpm: '9.15.9', yarn: '1.22.22' }), 'node_modules', '.bin');
    runnerDir = await installPackages('jest-30.5.2', { jest: '30.5.2' });
  });

  it.each(shapes.map((shape) => [shape.join(' ')]))('`3pio %s` finds Jest and reports what it reports', async (shape) => {
    const project = await createFixtureProject(join(fixtures, 'jest'), runnerDir);
    projects.push(project);
    const path = `${binDir}:${process.env.PATH ?? ''}`;
    const result = await runProcess(process.execPath, [cli, ...shape.split(' ')], { cwd: project.dir, env: { ...env(), PATH: path } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL tests/math.test.js (1 failed, 1 passed, 2 skipped)');
    const summary = summaryOf(project.dir);
    expect(totalsIn(summary)).toMatchObject({ passed: 3, failed: 1, skipped: 2 });
  });
});
