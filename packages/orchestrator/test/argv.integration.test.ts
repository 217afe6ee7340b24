/**
 * Tests that read the real process.argv and environment (a CLI library's program.parse()
 * with no arguments) see under 3pio exactly what they see without it: Jest in band, Mocha
 * serial (tests in the runner's own process), Vitest (tests in a worker it starts). Each
 * suite runs bare and under 3pio in the same project; what the test saw must be equal.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFixtureProject, installPackages, runProcess, type FixtureProject } from '../../../tools/test-kit/index.js';

const cli = resolve(__dirname, '..', 'dist', 'cli', 'main.js');
const projects: FixtureProject[] = [];
afterAll(async () => {
  await Promise.all(projects.map((project) => project.remove()));
});

const env = (expectedArgv: string[] | undefined): NodeJS.ProcessEnv => {
  const copy = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(THREEPIO_|VITEST|JEST_)/.test(name)));
  delete copy.NODE_OPTIONS;
  return { ...copy, NO_COLOR: '1', ...(expectedArgv === undefined ? {} : { EXPECTED_ARGV: JSON.stringify(expectedArgv) }) };
};

describe.each([
  ['jest', '29.7.0', ['--runInBand', 'tests']],
  ['jest', '30.5.2', ['--runInBand', 'tests']],
  ['mocha', '10.8.2', ['tests/argv.spec.js']],
  ['mocha', '11.8.0', ['tests/argv.spec.js']],
  ['vitest', '3.2.7', undefined],
  ['vitest', '4.1.12', undefined],
] as const)('%s %s under 3pio', (runner, version, expectedArgv) => {
  it('shows its tests the process.argv and environment they see without 3pio', async () => {
    const runnerDir = await installPackages(`${runner}-${version}`, { [runner]: version });
    const project = await createFixtureProject(join(__dirname, 'fixtures', `argv-${runner}`), runnerDir);
    projects.push(project);
    const seen = join(project.dir, 'seen.json');
    const argv = expectedArgv === undefined ? undefined : [...expectedArgv];

    const bare = await runProcess('npm', ['test'], { cwd: project.dir, env: env(argv) });
    expect(bare.code, bare.stdout + bare.stderr).toBe(0);
    const withoutThreepio = readFileSync(seen, 'utf8');
    rmSync(seen);

    const result = await runProcess(process.execPath, [cli, 'npm', 'test'], { cwd: project.dir, env: env(argv) });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^PASSED · files: 0 failed, 1 passed \(1\) · tests: 0 failed, 1 passed, 0 skipped \(1\)/m);
    expect(readFileSync(seen, 'utf8')).toBe(withoutThreepio);
  });
});
