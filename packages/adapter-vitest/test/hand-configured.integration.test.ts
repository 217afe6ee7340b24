/**
 * The adapter configured by hand (`reporters: ['default', '@3pio/adapter-vitest']`), loaded
 * by package name, with no THREEPIO_IPC_PATH: it picks `.3pio/ipc/<run id>.jsonl` itself,
 * a new one per run, and says where once, at the end, through Vitest's logger.
 */
import { isRunId } from '@3pio/ipc';
import { readAllEvents } from '@3pio/ipc/testing';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureProject, ProcessResult } from '../../../tools/test-kit/index.js';
import { eventsOf, testKey } from './support/events.js';
import { handConfiguredProject } from './support/hand-configured-project.js';
import { statusOf, type JsonReport } from './support/json-report.js';
import { VITEST_VERSIONS, runVitest, runnerEnv } from './support/vitest-runs.js';

describe.concurrent.each(VITEST_VERSIONS)('vitest %s, configured by hand', (version) => {
  let project: FixtureProject | undefined;
  const runs: ProcessResult[] = [];
  let ipcFiles: string[];

  beforeAll(async () => {
    project = await handConfiguredProject('hand-configured', version);
    // Two runs one after the other: each must get its own event file.
    for (let i = 0; i < 2; i += 1) runs.push(await runVitest(project.dir, ['run'], runnerEnv()));
    ipcFiles = (await readdir(join(project.dir, '.3pio', 'ipc'))).filter((name) => name.endsWith('.jsonl')).sort();
  });

  afterAll(async () => {
    await project?.remove();
  });

  it('writes one new event file per run under .3pio/ipc, named by a run id', () => {
    expect(runs.map((run) => run.code)).toEqual([1, 1]);
    expect(ipcFiles).toHaveLength(2);
    for (const name of ipcFiles) expect(isRunId(name.replace(/\.jsonl$/, '')), name).toBe(true);
  });

  it('tells the user where the events are, once, at the end of the run', () => {
    for (const [index, run] of runs.entries()) {
      const lines = stripVTControlCharacters(run.stdout).split('\n');
      const notices = lines.filter((line) => line.includes('test events written to'));
      const shown = join('.3pio', 'ipc', ipcFiles[index]!);
      expect(notices).toEqual([` 3pio: test events written to ${shown} (reports: npx 3pio replay ${shown})`]);
      const notice = lines.indexOf(notices[0]!);
      // After every file's result; Vitest 4 prints its summary in onTestRunEnd, before ours,
      // Vitest 3 in the legacy onFinished hook, which comes after it.
      const fileLines = lines.flatMap((line, at) => (/^ [✓❯×] tests\//.test(line) ? [at] : []));
      expect(fileLines).toHaveLength(2);
      expect(notice).toBeGreaterThan(Math.max(...fileLines));
      const summary = lines.findIndex((line) => line.includes('Duration'));
      if (version.startsWith('3.')) expect(notice).toBeLessThan(summary);
      else expect(notice).toBeGreaterThan(summary);
      expect(run.stderr).not.toContain('3pio');
    }
  });

  it('records the run as the JSON reporter of the same run sees it', async () => {
    const json = JSON.parse(await readFile(join(project!.dir, 'report.json'), 'utf8')) as JsonReport;
    const { events, errors } = await readAllEvents(join(project!.dir, '.3pio', 'ipc', ipcFiles[1]!));
    expect(errors).toEqual([]);
    const expected = json.testResults.flatMap((file) =>
      file.assertionResults.map((test) => `${file.name} :: ${testKey(test.ancestorTitles, test.title)} :: ${statusOf(test.status)}`),
    );
    const actual = eventsOf(events, 'testCase').map(
      (test) => `${test.filePath} :: ${testKey(test.ancestorTitles, test.testName)} :: ${test.status}`,
    );
    expect(actual.sort()).toEqual(expected.sort());
    expect(
      eventsOf(events, 'testFileResult')
        .map((file) => `${file.filePath} ${file.status}`)
        .sort(),
    ).toEqual(json.testResults.map((file) => `${file.name} ${statusOf(file.status)}`).sort());
    expect(eventsOf(events, 'runStart')).toMatchObject([{ runner: 'vitest', runnerVersion: version }]);
    expect(eventsOf(events, 'runComplete')).toMatchObject([
      { status: 'FAIL', totals: { files: 2, tests: 4, passed: 2, failed: 1, skipped: 1 } },
    ]);
    expect(eventsOf(events, 'stdoutChunk')).toEqual([
      { filePath: join(project!.dir, 'tests', 'math.test.js'), chunk: 'adding\n', testName: 'adds', ancestorTitles: ['math'] },
    ]);
  });
});
