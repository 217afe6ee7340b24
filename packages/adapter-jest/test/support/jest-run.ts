/**
 * Runs the real Jest, in a child process, on a copy of a fixture project, with the
 * adapter injected the way the orchestrator does it, and reads back both what the
 * adapter wrote and Jest's own `--json` report of the same run.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IpcEvent } from '@3pio/ipc';
import { readAllEvents } from '@3pio/ipc/testing';
import {
  createFixtureProject,
  installPackages,
  linkWorkspacePackages,
  runProcess,
  type ProcessResult,
} from '../../../../tools/test-kit/index.js';

export const JEST_VERSIONS = ['29.7.0', '30.5.2'] as const;
export type JestVersion = (typeof JEST_VERSIONS)[number];

/** The two ways Jest schedules files: worker processes, or all in the main process. */
export const MODES = { workers: ['--maxWorkers=2'], inBand: ['--runInBand'] } as const;
export type Mode = keyof typeof MODES;

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
export const ADAPTER_PATH = join(packageDir, 'dist', 'index.js');
export const fixtureDir = (name: string): string => join(packageDir, 'test', 'fixtures', name);

/** The reporter flags, exactly as the orchestrator appends them after the user's arguments. */
export const INJECTED_REPORTERS = ['--reporters=default', `--reporters=${ADAPTER_PATH}`];

const projects: (() => Promise<void>)[] = [];

/** Removes the temporary projects of every run so far (call it from afterAll). */
export async function removeRunProjects(): Promise<void> {
  await Promise.all(projects.splice(0).map((remove) => remove()));
}

export function installJest(version: JestVersion): Promise<string> {
  return installPackages(`jest-${version}`, { jest: version });
}

/** The environment of a run: no IPC path unless given, no CI or agent variables that change Jest's output. */
function jestEnv(ipcPath: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.THREEPIO_IPC_PATH;
  delete env.FORCE_COLOR;
  if (ipcPath !== undefined) env.THREEPIO_IPC_PATH = ipcPath;
  return env;
}

export interface JestJsonReport {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTestSuites: number;
  testResults: {
    name: string;
    status: string;
    message: string;
    assertionResults: { ancestorTitles: string[]; title: string; fullName: string; status: string }[];
  }[];
}

export interface JestRun {
  dir: string;
  process: ProcessResult;
  events: IpcEvent[];
  readErrors: unknown[];
  /** Jest's own `--json` report of the same run, when it wrote one. */
  json: JestJsonReport | undefined;
}

export interface RunOptions {
  fixture: string;
  version: JestVersion;
  /** Everything after `jest`: the user's arguments and the reporter flags. */
  args: string[];
  /** Set THREEPIO_IPC_PATH (the injected path); false for the hand-configured path. */
  ipc?: boolean;
  /** Ask Jest for its `--json` report (placed before `args`). */
  json?: boolean;
  /** More environment, set last (it can override THREEPIO_IPC_PATH). */
  env?: (projectDir: string) => NodeJS.ProcessEnv;
}

/** Copies the fixture, links the installed Jest, runs it once and collects everything. */
export async function runJest(options: RunOptions): Promise<JestRun> {
  const runnerDir = await installJest(options.version);
  const project = await createFixtureProject(fixtureDir(options.fixture), runnerDir);
  projects.push(project.remove);
  const ipcPath = options.ipc === false ? undefined : join(project.dir, 'events', 'ipc.jsonl');
  const jsonPath = join(project.dir, 'jest-report.json');
  // By hand, the reporter is named by package: it must resolve from the project.
  if (options.ipc === false) await linkWorkspacePackages(project.dir, runnerDir, ['adapter-jest', 'ipc']);
  const jsonArgs = options.json === false ? [] : ['--json', `--outputFile=${jsonPath}`];
  const result = await runProcess(process.execPath, [join('node_modules', 'jest', 'bin', 'jest.js'), ...jsonArgs, ...options.args], {
    cwd: project.dir,
    env: { ...jestEnv(ipcPath), ...options.env?.(project.dir) },
    timeoutMs: 150_000,
  });
  const eventsPath = ipcPath ?? (await handConfiguredEventsFile(project.dir));
  const { events, errors } =
    eventsPath === undefined || !existsSync(eventsPath) ? { events: [], errors: [] } : await readAllEvents(eventsPath);
  const json = existsSync(jsonPath) ? (JSON.parse(await readFile(jsonPath, 'utf8')) as JestJsonReport) : undefined;
  return { dir: project.dir, process: result, events, readErrors: errors, json };
}

/** The one file a hand-configured run wrote under `./.3pio/ipc/`. */
async function handConfiguredEventsFile(projectDir: string): Promise<string | undefined> {
  const dir = join(projectDir, '.3pio', 'ipc');
  if (!existsSync(dir)) return undefined;
  const files = (await readdir(dir)).filter((name) => name.endsWith('.jsonl'));
  if (files.length !== 1) throw new Error(`Expected one events file in ${dir}, found ${files.join(', ') || 'none'}.`);
  return join(dir, files[0]!);
}
