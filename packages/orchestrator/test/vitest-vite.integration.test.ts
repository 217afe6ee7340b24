/**
 * Every Vitest and Vite pairing 3pio supports, with 3pio outside the project (as npx
 * places it): the adapter is registered as an object, never loaded through Vite's module
 * loader (Vitest 3.2 with Vite 6 refused a reporter path outside the project root). The
 * run's tests, compared with Vitest's own json reporter in the same run.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFixtureProject, installPackages, runProcess, type FixtureProject } from '../../../tools/test-kit/index.js';
import { testsInEvents, testsInJestReport } from './support/truth.js';

const cli = resolve(__dirname, '..', 'dist', 'cli', 'main.js');
const example = resolve(__dirname, '..', '..', '..', 'examples', 'vitest');
const projects: FixtureProject[] = [];
afterAll(async () => {
  await Promise.all(projects.map((project) => project.remove()));
});

describe.each([
  ['3.2.7', '5.4.9'],
  ['3.2.7', '6.4.6'],
  ['3.2.7', '7.3.8'],
  ['4.0.9', '7.3.8'],
  ['4.1.12', '8.4.1'],
] as const)('Vitest %s with Vite %s', (vitest, vite) => {
  it('reports every test as Vitest’s json reporter does', async () => {
    const runnerDir = await installPackages(`vitest-${vitest}-vite-${vite}`, { vitest, vite });
    const project = await createFixtureProject(example, runnerDir);
    projects.push(project);
    const installedVite = (
      JSON.parse(readFileSync(join(project.dir, 'node_modules', 'vite', 'package.json'), 'utf8')) as { version: string }
    ).version;
    expect(installedVite).toBe(vite);

    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(THREEPIO_|VITEST)/.test(name)));
    const result = await runProcess(
      process.execPath,
      [cli, 'npx', 'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=truth.json'],
      { cwd: project.dir, env: { ...env, NO_COLOR: '1' } },
    );
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toContain('FAIL tests/math.test.js (1 failed, 1 passed, 2 skipped)');
    const runs = await testsInEvents(
      join(project.dir, '.3pio', 'runs', /Run directory: \.3pio\/runs\/(\S+)/.exec(result.stdout)?.[1] ?? '', 'ipc.jsonl'),
    );
    expect([...runs.keys()]).toEqual([project.dir]);
    expect(runs.get(project.dir)).toEqual(testsInJestReport(join(project.dir, 'truth.json'), project.dir));
  });
});
