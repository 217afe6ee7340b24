/**
 * junit.xml from the built `3pio` on the bundled examples with the real Jest, Vitest and
 * Mocha: valid against the JUnit schema, its counts read back equal to the run's totals
 * in test-run.md, the failing test and the file that fails to load where CI looks for
 * them, and `--junit` copying it where asked; and what happens when `--junit` cannot be
 * written, before the run and after it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFixtureProject, installPackages, runProcess, type FixtureProject } from '../../../tools/test-kit/index.js';
import { checkJunit, junitCounts } from './support/junit.js';

const cli = resolve(__dirname, '..', 'dist', 'cli', 'main.js');
const examples = resolve(__dirname, '..', '..', '..', 'examples');
const runner = join(__dirname, 'fixtures', 'run-history', 'runner.js');

const env = (extra: NodeJS.ProcessEnv = {}) => {
  const copy: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', SCRIPTED_IPC_MODULE: require.resolve('@3pio/ipc'), ...extra };
  delete copy.THREEPIO_IPC_PATH;
  return copy;
};

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const remove of cleanup) await remove();
});

/** The run's totals as test-run.md gives them. */
function totalsOf(summary: string) {
  const tests = /^- Tests: (\d+) \((\d+) passed, (\d+) failed, (\d+) skipped\)$/m.exec(summary);
  if (tests === null) throw new Error(`no totals in:\n${summary}`);
  const [total, passed, failed, skipped] = tests.slice(1).map(Number) as [number, number, number, number];
  return { total, passed, failed, skipped };
}

const cases = [
  { runner: 'jest', version: '30.5.2', file: 'tests/math.test.js', broken: 'tests/broken.test.js' },
  { runner: 'vitest', version: '4.1.12', file: 'tests/math.test.js' },
  { runner: 'mocha', version: '11.8.0', file: 'tests/math.spec.js' },
] as const;

describe.each(cases)('junit.xml of $runner $version', ({ runner: name, version, file, ...rest }) => {
  it('is valid, counts what test-run.md counts, and --junit puts an identical copy where CI expects it', async () => {
    const runnerDir = await installPackages(`${name}-${version}`, { [name]: version });
    const project: FixtureProject = await createFixtureProject(join(examples, name), runnerDir);
    cleanup.push(project.remove);
    const result = await runProcess(process.execPath, [cli, '--junit', 'ci/results/junit.xml', 'npm', 'test'], {
      cwd: project.dir,
      env: env(),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const runDir = join(project.dir, '.3pio', 'runs', 'latest');
    const summary = readFileSync(join(runDir, 'test-run.md'), 'utf8');
    expect(summary).toContain('JUnit XML: [junit.xml](junit.xml)');
    const xml = readFileSync(join(runDir, 'junit.xml'), 'utf8');
    expect(statSync(join(runDir, 'junit.xml')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(project.dir, 'ci', 'results', 'junit.xml'), 'utf8')).toBe(xml);

    const totals = totalsOf(summary);
    const counts = await junitCounts(xml);
    expect(counts.failures).toBe(totals.failed);
    expect(counts.skipped).toBe(totals.skipped);
    expect(counts.cases - counts.errors).toBe(totals.total);
    expect(counts.declared).toEqual({ tests: counts.cases, failures: counts.failures, errors: counts.errors, skipped: counts.skipped });
    expect(counts.suites).toMatchObject({ tests: counts.cases, failures: counts.failures, errors: counts.errors, skipped: counts.skipped });
    expect(totals.failed).toBe(1);

    const failure = await checkJunit(xml, `string(//testsuite[@name="${file}"]/testcase[failure]/@classname)`);
    expect(failure.value).toBe(`${file} › math`);
    expect((await checkJunit(xml, `string(//testsuite[@name="${file}"]/testcase[failure]/@name)`)).value).toBe('divides');
    expect((await checkJunit(xml, `string(//testsuite[@name="${file}"]/testcase/failure)`)).value).not.toBe('');
    if ('broken' in rest) {
      expect(counts.errors).toBe(1);
      expect((await checkJunit(xml, `count(//testsuite[@name="${rest.broken}"]/testcase/error)`)).value).toBe('1');
    } else {
      expect(counts.errors).toBe(0);
    }
  });
});

describe('--junit', () => {
  function project(): string {
    const dir = mkdtempSync(join(tmpdir(), '3pio-junit-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it('refuses a path it cannot write before running anything: one line naming it, exit 125', async () => {
    const dir = project();
    writeFileSync(join(dir, 'a-file'), '');
    mkdirSync(join(dir, 'a-directory'));
    for (const target of ['a-file/junit.xml', 'a-directory']) {
      const result = await runProcess(process.execPath, [cli, `--junit=${target}`, 'node', runner], { cwd: dir, env: env() });
      expect(result.code).toBe(125);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^3pio: cannot write the JUnit report to ${join(dir, target)}: .+\\n$`));
    }
    expect(existsSync(join(dir, '.3pio'))).toBe(false);
    const usage = await runProcess(process.execPath, [cli, '--junit'], { cwd: dir, env: env() });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('3pio: --junit needs a file path, e.g. --junit reports/junit.xml. Run 3pio --help for the options.\n');
  });

  it('ends ERROR with the cause and exit 125 when the copy cannot be written after the run; the run’s own junit.xml stays', async () => {
    const dir = project();
    // The runner makes a directory where the copy must go, after 3pio checked the path.
    const result = await runProcess(process.execPath, [cli, '--junit', 'out/junit.xml', 'node', runner], {
      cwd: dir,
      env: env({ MKDIR_AT: join(dir, 'out', 'junit.xml', 'inside') }),
    });
    expect(result.code).toBe(125);
    expect(result.stdout).toMatch(/^ERROR · files: 0 failed, 1 passed \(1\)/m);
    expect(result.stdout).toContain(`3pio itself failed: cannot write the JUnit report to ${join(dir, 'out', 'junit.xml')}:`);
    const runDir = join(dir, '.3pio', 'runs', 'latest');
    expect(readFileSync(join(runDir, 'test-run.md'), 'utf8')).toContain('- Status: **ERROR** (exit code 125)');
    expect((await junitCounts(readFileSync(join(runDir, 'junit.xml'), 'utf8'))).cases).toBe(1);
    expect(readdirSync(join(dir, 'out', 'junit.xml'))).toEqual(['inside']);
  });
});
