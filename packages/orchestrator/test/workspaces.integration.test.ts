/**
 * The built `3pio` on a monorepo (npm workspaces: one package per runner, real Jest,
 * Vitest and Mocha) through the commands monorepos use: workspaces, pnpm, yarn, Nx,
 * Turborepo, and a script that starts runners itself. Each package's test script also
 * writes the runner's own JSON report of the same run (Jest --json, Vitest's json
 * reporter, Mocha's json reporter, which runs inside 3pio's adapter): per test, 3pio's
 * events must say what the runner says.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackages, runProcess, type ProcessResult } from '../../../tools/test-kit/index.js';
import { testsInEvents, testsInJestReport, testsInMochaReport } from './support/truth.js';

const cli = resolve(__dirname, '..', 'dist', 'cli', 'main.js');
const fixture = join(__dirname, 'fixtures', 'monorepo');
const PACKAGES = { 'jest-pkg': ['jest', '30.5.2'], 'vitest-pkg': ['vitest', '4.1.12'], 'mocha-pkg': ['mocha', '11.8.0'] } as const;
type PackageName = keyof typeof PACKAGES;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

let tools: string;
let packageManagers: string;
const runners = new Map<PackageName, string>();

beforeAll(async () => {
  tools = await installPackages('nx-23.3.1-turbo-2.11.13', { nx: '23.3.1', turbo: '2.11.13' });
  // The package managers themselves, from the npm registry: this machine has neither.
  packageManagers = join(await installPackages('pnpm-9.15.9-yarn-1.22.22', { pnpm: '9.15.9', yarn: '1.22.22' }), 'node_modules', '.bin');
  for (const [name, [runner, version]] of Object.entries(PACKAGES)) {
    runners.set(name as PackageName, await installPackages(`${runner}-${version}`, { [runner]: version }));
  }
});

/** A fresh copy of the monorepo: the task runners at its root, each package's runner in its own node_modules. */
function monorepo(): string {
  const dir = mkdtempSync(join(tmpdir(), '3pio-monorepo-'));
  dirs.push(dir);
  cpSync(fixture, dir, { recursive: true });
  symlinkSync(join(tools, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [name, runnerDir] of runners) symlinkSync(join(runnerDir, 'node_modules'), join(dir, 'packages', name, 'node_modules'), 'dir');
  return dir;
}

/** The test environment of the outer run has Nx's and 3pio's variables: the command under test must not. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(NX_|THREEPIO_|TURBO_|VITEST|JEST_)/.test(name)));
  return {
    ...env,
    PATH: `${packageManagers}:${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    TURBO_TELEMETRY_DISABLED: '1',
    ...extra,
  };
}

function run3pio(dir: string, command: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [cli, ...command], { cwd: dir, env: cleanEnv(env), timeoutMs: 180_000 });
}

function newestRunDir(dir: string): string {
  const runs = readdirSync(join(dir, '.3pio', 'runs')).sort();
  return join(dir, '.3pio', 'runs', runs.at(-1) ?? '');
}

/** Every package that ran is reported test by test as its runner reports it; the others ran no runner. */
async function expectRunnersTruth(dir: string, ran: PackageName[]): Promise<void> {
  const reported = await testsInEvents(join(newestRunDir(dir), 'ipc.jsonl'));
  expect([...reported.keys()].map((root) => relative(join(dir, 'packages'), root)).sort()).toEqual([...ran].sort());
  for (const name of Object.keys(PACKAGES) as PackageName[]) {
    const packageDir = join(dir, 'packages', name);
    const report = join(packageDir, 'report.json');
    if (!ran.includes(name)) {
      expect(existsSync(report), `${name} ran`).toBe(false);
      continue;
    }
    const truth = name === 'mocha-pkg' ? testsInMochaReport(report, packageDir) : testsInJestReport(report, packageDir);
    expect(reported.get(packageDir), name).toEqual(truth);
  }
}

const ALL: PackageName[] = ['jest-pkg', 'vitest-pkg', 'mocha-pkg'];

describe('3pio on a monorepo', () => {
  it.each([
    ['npm test', ALL],
    ['npm test --workspaces', ALL],
    ['npm test -w mocha-pkg', ['mocha-pkg']],
    ['pnpm -r --no-bail test', ALL],
    // Yarn 1 stops at the first workspace that fails.
    ['yarn workspaces run test', ['jest-pkg']],
    ['npx nx run-many -t test --skip-nx-cache', ALL],
    ['npm run test:script', ['jest-pkg', 'vitest-pkg']],
  ] as [string, PackageName[]][])('`3pio %s` reports every run, test by test as the runners do', async (command, ran) => {
    const dir = monorepo();
    const result = await run3pio(dir, command.split(' '));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    await expectRunnersTruth(dir, ran);
    if (ran.length > 1) expect(result.stdout).toContain(`runs: ${ran.length} · `);
    if (ran.includes('jest-pkg'))
      expect(result.stdout).toContain('FAIL packages/jest-pkg/tests/sum.test.js (1 failed, 1 passed, 1 skipped)\n');
    if (ran.includes('mocha-pkg'))
      expect(result.stdout).toContain('FAIL packages/mocha-pkg/tests/queue.spec.js (1 failed, 1 passed, 1 skipped)\n');
    const summary = readFileSync(join(newestRunDir(dir), 'test-run.md'), 'utf8');
    for (const name of ran)
      expect(summary).toMatch(
        new RegExp(
          `^\\| \\d \\| (PASS|FAIL) \\| packages/${name} \\| ${PACKAGES[name][0]} ${PACKAGES[name][1].replaceAll('.', '\\.')} \\|`,
          'm',
        ),
      );
    if (ran.includes('jest-pkg')) {
      const report = join(newestRunDir(dir), 'reports', 'packages', 'jest-pkg', 'tests', 'sum.test.js', 'index.md');
      expect(readFileSync(report, 'utf8')).toContain('carrying the one');
    }
  });

  it('`3pio turbo run test` reports every run, test by test, and Turborepo never replays a session from its cache', async () => {
    const dir = monorepo();
    // Turborepo wants to know the package manager.
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, packageManager: 'npm@11.0.0' }));
    for (let round = 0; round < 2; round += 1) {
      const result = await run3pio(dir, ['npx', 'turbo', 'run', 'test', '--continue']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('runs: 3 · ');
      await expectRunnersTruth(dir, ALL);
      expect(result.stdout).not.toContain('from its cache');
    }
  });

  it('`3pio --failed npm test` narrows every package’s run to what failed in it, and runs nothing where nothing failed', async () => {
    const dir = monorepo();
    const full = await run3pio(dir, ['npm', 'test']);
    expect(full.code).toBe(1);
    const failedBefore = [...(await testsInEvents(join(newestRunDir(dir), 'ipc.jsonl'))).values()]
      .flat()
      .filter((test) => test.endsWith(' › FAIL'));
    expect(failedBefore).toHaveLength(2);
    const narrowed = await run3pio(dir, ['--failed', 'npm', 'test']);
    expect(narrowed.code).toBe(1);
    expect(narrowed.stdout).toContain('3pio --failed: nothing of this run failed in run ');
    const ran = [...(await testsInEvents(join(newestRunDir(dir), 'ipc.jsonl'))).values()]
      .flat()
      .filter((test) => !test.endsWith(' › SKIP'));
    expect(ran.sort()).toEqual(failedBefore.sort());
  });

  it('`3pio nx run-many -t test` with Nx’s cache on: says which tasks Nx replayed instead of running them', async () => {
    const dir = monorepo();
    const first = await run3pio(dir, ['npx', 'nx', 'run-many', '-t', 'test']);
    expect(first.stdout).toContain('runs: 3 · ');
    // The Vitest package passed, so Nx cached it; the failed ones run again.
    rmSync(join(dir, 'packages', 'vitest-pkg', 'report.json'));
    const second = await run3pio(dir, ['npx', 'nx', 'run-many', '-t', 'test']);
    expect(second.code).toBe(1);
    expect(second.stdout).toContain('runs: 2 · ');
    expect(second.stdout).toContain(
      'Nx replayed 1 task from its cache instead of running them: their tests are not in this report. To run them, add --skip-nx-cache to the nx command (or set NX_SKIP_NX_CACHE=true).',
    );
    await expectRunnersTruth(dir, ['jest-pkg', 'mocha-pkg']);
  });
});
