/**
 * What must not change the user's run: an IPC file that cannot be written, and a worker
 * that dies in the middle of a file; and files a --bail run never got to.
 */
import type { IpcEvent } from '@3pio/ipc';
import { readAllEvents } from '@3pio/ipc/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { eventsOf } from './support/events.js';
import type { ProcessResult } from '../../../tools/test-kit/index.js';
import { VITEST_VERSIONS, adapterEntry, fixtureProject, runVitest, runnerEnv, type VitestVersion } from './support/vitest-runs.js';

/**
 * Runs Vitest with the adapter injected on a copy of the fixture, and hands the result,
 * the events read back and the project's directory to `check`; removes everything after.
 */
async function withInjectedRun(
  fixture: string,
  version: VitestVersion,
  args: string[],
  check: (run: { result: ProcessResult; events: IpcEvent[]; dir: string }) => void,
): Promise<void> {
  const project = await fixtureProject(fixture, version);
  const outDir = await mkdtemp(join(tmpdir(), '3pio-vitest-out-'));
  try {
    const ipcPath = join(outDir, 'events.jsonl');
    const result = await runVitest(
      project.dir,
      ['run', ...args, '--reporter=default', `--reporter=${adapterEntry}`],
      runnerEnv({ THREEPIO_IPC_PATH: ipcPath }),
    );
    const { events } = await readAllEvents(ipcPath);
    check({ result, events, dir: project.dir });
  } finally {
    await Promise.all([project.remove(), rm(outDir, { recursive: true, force: true })]);
  }
}

/** Vitest's summary lines, without the timings that differ between two runs. */
function summary(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^\s*(Test Files|Tests)\s/.test(line));
}

describe.concurrent.each(VITEST_VERSIONS)('vitest %s', (version) => {
  it('runs exactly as without the adapter when the IPC file cannot be written, and logs why at debug level', async () => {
    const project = await fixtureProject('hand-configured', version);
    const logDir = await mkdtemp(join(tmpdir(), '3pio-vitest-debug-'));
    try {
      // Plain output, so that the two runs' outputs compare as text.
      const { FORCE_COLOR: _forced, ...env } = runnerEnv({ NO_COLOR: '1' });
      const bare = await runVitest(project.dir, ['run', '--reporter=default'], env);
      const debugLog = join(logDir, 'debug.log');
      const withAdapter = await runVitest(
        project.dir,
        ['run', '--reporter=default', `--reporter=${adapterEntry}`],
        // A path below a regular file: no directory can be created there.
        { ...env, THREEPIO_IPC_PATH: '/dev/null/events.jsonl', THREEPIO_DEBUG_LOG: debugLog },
      );
      expect(withAdapter.code).toBe(bare.code);
      expect(summary(withAdapter.stdout)).toEqual(summary(bare.stdout));
      expect(summary(bare.stdout)).toHaveLength(2);
      expect(withAdapter.stderr).toBe(bare.stderr);
      expect(await readFile(debugLog, 'utf8')).toMatch(/could not write a runStart event to \/dev\/null\/events\.jsonl/);
    } finally {
      await Promise.all([project.remove(), rm(logDir, { recursive: true, force: true })]);
    }
  });

  it('closes a file whose fork worker was killed, or leaves a runStart without runComplete when Vitest itself dies', async () => {
    await withInjectedRun('killed-worker', version, ['--pool=forks'], ({ result, events, dir }) => {
      expect(result.code).toBe(1);
      const killed = join(dir, 'tests', 'killed.test.js');
      expect(eventsOf(events, 'runStart')).toHaveLength(1);
      expect(eventsOf(events, 'testFileStart').map((file) => file.filePath)).toContain(killed);
      if (version.startsWith('3.')) {
        // Vitest 3.2 dies of an unhandled "Channel closed" rejection in tinypool before any
        // reporter hears the end of the run: the protocol reads a runStart without its
        // runComplete as a runner that did not finish.
        expect(stripVTControlCharacters(result.stdout + result.stderr)).toContain('Error: Channel closed');
        expect(eventsOf(events, 'runComplete')).toHaveLength(0);
        return;
      }
      expect(eventsOf(events, 'testFileResult').find((file) => file.filePath === killed)).toMatchObject({
        status: 'FAIL',
        error: { message: expect.stringMatching(/^Vitest never finished this file/) },
      });
      const complete = eventsOf(events, 'runComplete');
      expect(complete).toHaveLength(1);
      expect(complete[0]!.status).toBe('FAIL');
      expect(complete[0]!.errors!.map((error) => error.message).join('\n')).toMatch(/Worker forks emitted error/);
    });
  });

  it('reports the files --bail kept from running as not run (SKIP), not as broken', async () => {
    await withInjectedRun('bail', version, ['--bail=1'], ({ result, events, dir }) => {
      expect(result.code).toBe(1);
      const results = eventsOf(events, 'testFileResult');
      const failing = join(dir, 'tests', 'fails-first.test.js');
      expect(results.find((file) => file.filePath === failing)?.status).toBe('FAIL');
      const others = results.filter((file) => file.filePath !== failing);
      expect(others).toHaveLength(2);
      // Vitest runs the largest file first here, so at least one other file never starts.
      const notRun = others.filter((file) => file.status === 'SKIP');
      expect(notRun.length).toBeGreaterThan(0);
      for (const file of notRun) expect(file.error?.message).toMatch(/^Not run to its end: the run was stopped first/);
      expect(others.every((file) => file.status === 'SKIP' || file.status === 'PASS')).toBe(true);
      expect(eventsOf(events, 'runComplete')[0]).toMatchObject({ status: 'FAIL', interrupted: true });
    });
  });
});
