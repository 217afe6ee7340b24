/**
 * Files that fail to load: a syntax error, a missing import, an import that throws,
 * a describe body that throws.
 * - Serial: Mocha aborts while loading files, before any reporter exists. The adapter
 *   cannot report anything; the orchestrator relies on "no events + non-zero exit +
 *   stderr", which these tests pin down.
 * - Parallel: each file fails in its worker and reaches the main process as
 *   "Uncaught error outside test suite"; the adapter maps it back to the file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileOrderProblems, finalFileResults, ofType } from './support/events.js';
import { ADAPTER_ENTRY, MOCHA_VERSIONS, MODE_ARGS, childEnv, fixtureProject, runMocha, type Project } from './support/mocha-project.js';
import type { ProcessResult } from '../../../tools/test-kit/index.js';
import { readAllEvents } from '@3pio/ipc/testing';
import type { IpcEvent } from '@3pio/ipc';

const BROKEN = {
  'syntax-error.spec.js': /Unexpected end of input/,
  'missing-import.spec.js': /Cannot find module '\.\/does-not-exist'/,
  'import-throws.spec.js': /helper exploded while loading/,
  'describe-throws.spec.js': /describe body exploded/,
} as const;
type Broken = keyof typeof BROKEN;
const BROKEN_FILES = Object.keys(BROKEN) as Broken[];

interface Run {
  result: ProcessResult;
  ipcPath: string;
  events: IpcEvent[];
}

const projects = new Map<string, Project>();
const serialRuns = new Map<string, Run>();
const parallelRuns = new Map<string, Run>();

async function run(project: Project, label: string, args: string[]): Promise<Run> {
  const ipcPath = join(project.dir, 'events', `${label}.jsonl`);
  const result = await runMocha(project, [...args, '--reporter', ADAPTER_ENTRY], childEnv({ THREEPIO_IPC_PATH: ipcPath }));
  const events = existsSync(ipcPath) ? (await readAllEvents(ipcPath)).events : [];
  return { result, ipcPath, events };
}

beforeAll(async () => {
  await Promise.all(
    MOCHA_VERSIONS.map(async (version) => {
      const project = await fixtureProject('load-errors', version);
      projects.set(version, project);
      await Promise.all([
        ...BROKEN_FILES.map(async (broken) =>
          serialRuns.set(`${version} ${broken}`, await run(project, `serial-${broken}`, ['test/good.spec.js', `test/${broken}`])),
        ),
        run(project, 'parallel', ['test/*.spec.js', ...MODE_ARGS.parallel]).then((r) => parallelRuns.set(version, r)),
      ]);
    }),
  );
});

afterAll(async () => {
  await Promise.all([...projects.values()].map((project) => project.remove()));
});

describe.each(MOCHA_VERSIONS)('mocha %s', (version) => {
  it.each(BROKEN_FILES)('serial, %s: Mocha aborts before any reporter exists: no events, exit 1, the error on stderr', (broken) => {
    const { result, events, ipcPath } = serialRuns.get(`${version} ${broken}`)!;
    expect(result.code).toBe(1);
    expect(events).toEqual([]);
    expect(existsSync(ipcPath)).toBe(false);
    expect(result.stderr).toContain('Exception during run');
    expect(result.stderr).toMatch(BROKEN[broken]);
  });

  it('parallel: every broken file gets a failed file result with its error; the good file runs', () => {
    const { result, events } = parallelRuns.get(version)!;
    const dir = projects.get(version)!.dir;
    expect(result.code).toBe(BROKEN_FILES.length);
    expect(fileOrderProblems(events)).toEqual([]);
    const results = finalFileResults(events);
    expect(results.get(join(dir, 'test', 'good.spec.js'))?.status).toBe('PASS');
    for (const broken of BROKEN_FILES) {
      const fileResult = results.get(join(dir, 'test', broken));
      expect({ broken, status: fileResult?.status, message: fileResult?.error?.message }).toEqual({
        broken,
        status: 'FAIL',
        message: expect.stringMatching(BROKEN[broken]),
      });
    }
    const complete = ofType(events, 'runComplete');
    expect(complete).toHaveLength(1);
    expect(complete[0]).toMatchObject({ status: 'FAIL', totals: { files: 5, tests: 1, passed: 1, failed: 0, skipped: 0 } });
    expect(complete[0]?.errors).toBeUndefined();
    expect(ofType(events, 'runStart')).toHaveLength(1);
  });
});
