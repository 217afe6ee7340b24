/**
 * 3pio on this repository's own tests, through the command the repository uses (Nx over
 * five packages, each running Vitest): the unit test targets, to keep CI time sane, and
 * without their build dependencies, which must not rebuild the 3pio this test runs. Its
 * run directory goes in the repository's .3pio/ (ignored by git) and is removed after. Per
 * package, 3pio's events must list the tests Vitest's json reporter lists for the package.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runProcess, workspaceRoot } from '../../../tools/test-kit/index.js';
import { testsInEvents, testsInJestReport } from './support/truth.js';

const cli = resolve(__dirname, '..', 'dist', 'cli', 'main.js');
const reports = mkdtempSync(join(tmpdir(), '3pio-self-'));
afterAll(() => rmSync(reports, { recursive: true, force: true }));

/** Without the variables of the Nx and Vitest running this test, which would steer the inner ones. */
const env = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(NX_|THREEPIO_|VITEST|TEST$|NODE_ENV$)/.test(name))),
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NO_COLOR: '1',
});

it('reports this repository’s unit tests package by package as Vitest does', async () => {
  const packages = readdirSync(join(workspaceRoot, 'packages')).map((name) => join(workspaceRoot, 'packages', name));
  const result = await runProcess(
    process.execPath,
    [cli, 'npx', 'nx', 'run-many', '-t', 'test', '--exclude-task-dependencies', '--skip-nx-cache', '--output-style=static'],
    { cwd: workspaceRoot, env: env(), timeoutMs: 600_000 },
  );
  const runDir = join(workspaceRoot, /^Run directory: (.+)$/m.exec(result.stdout)?.[1] ?? '(none)');
  try {
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^PASSED · runs: ${packages.length} · `, 'm'));
    const reported = await testsInEvents(join(runDir, 'ipc.jsonl'));
    expect([...reported.keys()].sort()).toEqual([...packages].sort());
    for (const dir of packages) {
      const truth = join(reports, `${basename(dir)}.json`);
      const vitest = await runProcess(
        'npx',
        ['vitest', 'run', '--exclude', '**/*.integration.test.ts', '--passWithNoTests', '--reporter=json', `--outputFile=${truth}`],
        { cwd: dir, env: env(), timeoutMs: 300_000 },
      );
      expect(vitest.code, vitest.stderr).toBe(0);
      expect(reported.get(dir), dir).toEqual(testsInJestReport(truth, dir));
    }
  } finally {
    // The run directory is this test's, not the developer's.
    rmSync(runDir, { recursive: true, force: true });
  }
});
