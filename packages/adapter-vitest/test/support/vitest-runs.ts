/**
 * Real Vitest runs for the adapter tests: the versions and pools of the matrix, the
 * installed runners, fixture projects pinned to one version, and one run of the runner
 * with the adapter injected the way the orchestrator does it, next to Vitest's own JSON
 * reporter (the ground truth of the same run).
 */
import type { IpcEvent } from '@3pio/ipc';
import { readAllEvents } from '@3pio/ipc/testing';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createFixtureProject,
  installPackages,
  runProcess,
  type FixtureProject,
  type ProcessResult,
} from '../../../../tools/test-kit/index.js';
import type { JsonReport } from './json-report.js';

export const VITEST_VERSIONS = ['3.2.7', '4.1.12'] as const;
export const POOLS = ['threads', 'forks'] as const;
export type VitestVersion = (typeof VITEST_VERSIONS)[number];
export type Pool = (typeof POOLS)[number];

export const MATRIX = VITEST_VERSIONS.flatMap((version) => POOLS.map((pool) => ({ version, pool })));

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
/** The built adapter, as the orchestrator passes it: an absolute path. */
export const adapterEntry = join(packageDir, 'dist', 'index.js');
export const fixturesDir = join(packageDir, 'test', 'fixtures');

export function installVitest(version: VitestVersion): Promise<string> {
  return installPackages(`vitest-${version}`, { vitest: version });
}

/** The fixture's package.json names the version it runs with; the copy names the one under test. */
export async function pinVitestVersion(projectDir: string, version: VitestVersion): Promise<void> {
  const manifestPath = join(projectDir, 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { devDependencies: Record<string, string> };
  manifest.devDependencies.vitest = version;
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
}

export async function fixtureProject(name: string, version: VitestVersion): Promise<FixtureProject> {
  const project = await createFixtureProject(join(fixturesDir, name), await installVitest(version));
  await pinVitestVersion(project.dir, version);
  return project;
}

/**
 * The environment of a runner started from inside this test run: none of this run's
 * Vitest worker variables, no IPC path unless given, colours forced on (so that the
 * adapter's ANSI stripping is exercised) and no CI flag (so that only `run` keeps Vitest
 * out of watch mode).
 */
export function runnerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|THREEPIO_|CI$|NODE_ENV$|TEST$|NO_COLOR$|FORCE_COLOR$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, FORCE_COLOR: '1', ...extra };
}

export function runVitest(projectDir: string, args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return runProcess(process.execPath, [join(projectDir, 'node_modules', 'vitest', 'vitest.mjs'), ...args], {
    cwd: projectDir,
    env,
    timeoutMs: 150_000,
  });
}

export interface InjectedRun {
  process: ProcessResult;
  events: IpcEvent[];
  json: JsonReport;
  projectDir: string;
}

/**
 * One run with the adapter injected exactly as the orchestrator does it
 * (`vitest run <user args> --reporter=default --reporter=<abs adapter>`), plus Vitest's JSON
 * reporter writing the same run's ground truth to a file.
 */
export async function injectedRun(project: FixtureProject, pool: Pool, userArgs: string[] = []): Promise<InjectedRun> {
  const outDir = await mkdtemp(join(tmpdir(), '3pio-vitest-out-'));
  try {
    const ipcPath = join(outDir, 'ipc', 'events.jsonl');
    const jsonPath = join(outDir, 'report.json');
    const result = await runVitest(
      project.dir,
      [
        'run',
        `--pool=${pool}`,
        ...userArgs,
        '--reporter=default',
        `--reporter=${adapterEntry}`,
        '--reporter=json',
        `--outputFile=${jsonPath}`,
      ],
      runnerEnv({ THREEPIO_IPC_PATH: ipcPath }),
    );
    const { events, errors } = await readAllEvents(ipcPath);
    if (errors.length > 0) throw new Error(`The IPC file did not read cleanly: ${JSON.stringify(errors)}`);
    const json = JSON.parse(await readFile(jsonPath, 'utf8')) as JsonReport;
    return { process: result, events, json, projectDir: project.dir };
  } finally {
    // Everything the run wrote has been read: leave nothing behind in the temporary directory.
    await rm(outDir, { recursive: true, force: true });
  }
}
