/**
 * The reporter configured by hand, by package name (no THREEPIO_IPC_PATH): in .mocharc
 * and on the command line, serial and parallel. The adapter picks its own file under
 * .3pio/ipc/, keeps the Spec output and says where the file is, once, at the end.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllEvents } from '@3pio/ipc/testing';
import type { IpcEvent } from '@3pio/ipc';
import { fileOrderProblems, finalFileResults, ofType } from './support/events.js';
import { MOCHA_VERSIONS, MODE_ARGS, childEnv, installedAdapterProject, runMocha, type Project } from './support/mocha-project.js';
import type { ProcessResult } from '../../../tools/test-kit/index.js';

const FORMS = {
  '.mocharc, serial': [],
  '.mocharc, parallel': MODE_ARGS.parallel,
  'command line, serial': ['--no-config', '--reporter', '@3pio/adapter-mocha', 'test/*.spec.js'],
} as const;
type Form = keyof typeof FORMS;
const CASES = MOCHA_VERSIONS.flatMap((version) => (Object.keys(FORMS) as Form[]).map((form) => ({ version, form })));

const runs = new Map<string, { project: Project; result: ProcessResult; ipcFiles: string[]; events: IpcEvent[] }>();
const key = (version: string, form: string) => `${version} ${form}`;

beforeAll(async () => {
  await Promise.all(
    CASES.map(async ({ version, form }) => {
      // One project per run: each must find exactly one file of its own in .3pio/ipc.
      const project = await installedAdapterProject('hand-configured', version);
      const result = await runMocha(project, [...FORMS[form]], childEnv());
      const ipcDir = join(project.dir, '.3pio', 'ipc');
      const ipcFiles = existsSync(ipcDir) ? readdirSync(ipcDir) : [];
      const events = ipcFiles.length === 1 ? (await readAllEvents(join(ipcDir, ipcFiles[0]!))).events : [];
      runs.set(key(version, form), { project, result, ipcFiles, events });
    }),
  );
});

afterAll(async () => {
  await Promise.all([...runs.values()].map(({ project }) => project.remove()));
});

describe.each(CASES)('mocha $version, $form', ({ version, form }) => {
  it('writes the run to a new file under .3pio/ipc and says where, once, after the summary', () => {
    const { result, ipcFiles } = runs.get(key(version, form))!;
    expect(result.code).toBe(1);
    expect(ipcFiles).toHaveLength(1);
    expect(ipcFiles[0]).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{8}\.jsonl$/);
    const shown = join('.3pio', 'ipc', ipcFiles[0]!);
    const notice = `3pio: test events written to ${shown} (reports: npx 3pio replay ${shown})`;
    expect(result.stdout.split(notice)).toHaveLength(2);
    expect(result.stdout.indexOf(notice)).toBeGreaterThan(result.stdout.indexOf('1 failing'));
    expect(result.stdout).toContain('hello from a hand-configured run');
    expect(result.stdout).toMatch(/✔ passes/);
  });

  it('records both files, their tests and the test output', () => {
    const { events, project } = runs.get(key(version, form))!;
    expect(fileOrderProblems(events)).toEqual([]);
    const results = finalFileResults(events);
    expect(Object.fromEntries([...results].map(([file, r]) => [file, r.status]))).toEqual({
      [join(project.dir, 'test', 'sample.spec.js')]: 'FAIL',
      [join(project.dir, 'test', 'other.spec.js')]: 'PASS',
    });
    expect(ofType(events, 'runComplete')[0]?.totals).toEqual({ files: 2, tests: 3, passed: 2, failed: 1, skipped: 0 });
    expect(ofType(events, 'stdoutChunk')).toContainEqual(
      expect.objectContaining({ chunk: 'hello from a hand-configured run\n', testName: 'passes', ancestorTitles: ['hand configured'] }),
    );
  });
});
