/**
 * Real Mocha runs on fixture projects: installs a Mocha version once, copies a fixture
 * to a temporary directory pinned to that version, runs Mocha in a child process and
 * reads back the adapter's events.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { IpcEvent } from '@3pio/ipc';
import { readAllEvents } from '@3pio/ipc/testing';
import {
  createFixtureProject,
  installPackages,
  linkWorkspacePackages,
  runProcess,
  type ProcessResult,
} from '../../../../tools/test-kit/index.js';

export const MOCHA_VERSIONS = ['10.8.2', '11.8.0'] as const;
export type MochaVersion = (typeof MOCHA_VERSIONS)[number];
export type Mode = 'serial' | 'parallel';
export const MODES: readonly Mode[] = ['serial', 'parallel'];
export const MATRIX = MOCHA_VERSIONS.flatMap((version) => MODES.map((mode) => ({ version, mode })));

export const ADAPTER_DIR = fileURLToPath(new URL('../..', import.meta.url));
/** The injection form the orchestrator uses: the adapter by absolute path. */
export const ADAPTER_ENTRY = join(ADAPTER_DIR, 'dist', 'index.js');
const FIXTURES = join(ADAPTER_DIR, 'test', 'fixtures');

export const MODE_ARGS: Record<Mode, string[]> = { serial: [], parallel: ['--parallel', '--jobs', '2'] };

export function installMocha(version: MochaVersion): Promise<string> {
  return installPackages(`mocha-${version}`, { mocha: version });
}

export interface Project {
  dir: string;
  mochaBin: string;
  remove(): Promise<void>;
}

async function pinVersion(dir: string, version: MochaVersion): Promise<void> {
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { devDependencies: Record<string, string> };
  manifest.devDependencies.mocha = version;
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** A copy of `fixtures/<name>` whose node_modules is the installed Mocha. */
export async function fixtureProject(name: string, version: MochaVersion): Promise<Project> {
  const project = await createFixtureProject(join(FIXTURES, name), await installMocha(version));
  await pinVersion(project.dir, version);
  return { dir: project.dir, mochaBin: join(project.dir, 'node_modules', 'mocha', 'bin', 'mocha.js'), remove: project.remove };
}

/** A copy of `fixtures/<name>` where the adapter resolves by package name, as from a user's install. */
export async function installedAdapterProject(name: string, version: MochaVersion): Promise<Project> {
  const runnerDir = await installMocha(version);
  const project = await createFixtureProject(join(FIXTURES, name), runnerDir);
  await pinVersion(project.dir, version);
  await linkWorkspacePackages(project.dir, runnerDir, ['adapter-mocha', 'ipc']);
  return { dir: project.dir, mochaBin: join(project.dir, 'node_modules', 'mocha', 'bin', 'mocha.js'), remove: project.remove };
}

/** The environment of a child run: ours, minus anything 3pio-related a caller did not ask for. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of Object.keys(env)) if (key.startsWith('THREEPIO_')) delete env[key];
  return { ...env, ...extra };
}

export function runMocha(project: Project, args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return runProcess(process.execPath, [project.mochaBin, ...args], { cwd: project.dir, env, timeoutMs: 120_000 });
}

export interface MochaJsonTest {
  title: string;
  fullTitle: string;
  file?: string;
  err: { message?: string; stack?: string };
}
export interface MochaJson {
  stats: { tests: number; passes: number; pending: number; failures: number };
  tests: MochaJsonTest[];
  passes: MochaJsonTest[];
  pending: MochaJsonTest[];
  failures: MochaJsonTest[];
}

export interface InjectedRun {
  result: ProcessResult;
  events: IpcEvent[];
  readErrors: unknown[];
  /** Mocha's json reporter of the same run, run by the adapter as its inner reporter. */
  json: MochaJson;
}

/**
 * Runs Mocha with the adapter injected the way the orchestrator does, and Mocha's json
 * reporter inside it writing to a file: the events and the ground truth of one run.
 */
export async function runInjectedWithJson(project: Project, args: string[]): Promise<InjectedRun> {
  const ipcPath = join(project.dir, 'events', 'run.jsonl');
  const jsonPath = join(project.dir, 'events', 'mocha.json');
  const result = await runMocha(
    project,
    [...args, '--reporter', ADAPTER_ENTRY],
    childEnv({
      THREEPIO_IPC_PATH: ipcPath,
      THREEPIO_MOCHA_REPORTER: 'json',
      THREEPIO_MOCHA_REPORTER_OPTIONS: JSON.stringify({ output: jsonPath }),
    }),
  );
  const { events, errors } = await readAllEvents(ipcPath);
  const json = JSON.parse(await readFile(jsonPath, 'utf8')) as MochaJson;
  return { result, events, readErrors: errors, json };
}

export interface MatrixRun extends InjectedRun {
  dir: string;
  /** The absolute path of `test/<base>` in the run's project. */
  file(base: string): string;
}

/**
 * Runs the fixture's test files (CommonJS and ES modules) once per version and mode of
 * MATRIX (all at once, before the file's tests) with the adapter injected and Mocha's json reporter inside, and removes the
 * projects after them; returns how to get a run.
 */
export function injectedMatrixRuns(fixture: string): (version: MochaVersion, mode: Mode) => MatrixRun {
  const runs = new Map<string, { project: Project; run: InjectedRun }>();
  const name = (version: string, mode: string) => `mocha ${version} ${mode}`;
  beforeAll(async () => {
    await Promise.all(
      MATRIX.map(async ({ version, mode }) => {
        const project = await fixtureProject(fixture, version);
        const args = ['test/*.spec.{js,mjs}', ...MODE_ARGS[mode]];
        runs.set(name(version, mode), { project, run: await runInjectedWithJson(project, args) });
      }),
    );
  });
  afterAll(async () => {
    await Promise.all([...runs.values()].map(({ project }) => project.remove()));
  });
  return (version, mode) => {
    const entry = runs.get(name(version, mode));
    if (entry === undefined) throw new Error(`no run of ${fixture} on ${name(version, mode)}`);
    return { ...entry.run, dir: entry.project.dir, file: (base) => join(entry.project.dir, 'test', base) };
  };
}
