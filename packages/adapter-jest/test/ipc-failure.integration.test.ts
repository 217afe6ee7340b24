/**
 * An IPC file that cannot be written must not fail or alter the user's run: the run
 * ends as it would without the adapter, nothing reaches Jest's output, and the failure
 * goes to the debug log.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INJECTED_REPORTERS, JEST_VERSIONS, removeRunProjects, runJest, type JestRun } from './support/jest-run.js';

afterAll(removeRunProjects);

describe.each(JEST_VERSIONS)('jest %s with an unwritable THREEPIO_IPC_PATH', (version) => {
  let run: JestRun;
  beforeAll(async () => {
    run = await runJest({
      fixture: 'suite',
      version,
      args: ['tests/passing', 'tests/skipped', '--maxWorkers=2', ...INJECTED_REPORTERS],
      // A path below a regular file: every open fails with ENOTDIR.
      env: (dir) => ({ THREEPIO_IPC_PATH: join(dir, 'package.json', 'ipc.jsonl'), THREEPIO_DEBUG_LOG: join(dir, 'debug.log') }),
    });
  });

  it('ends the run as Jest decides, with Jest’s output only', () => {
    expect(run.process.code).toBe(0);
    expect(run.json).toMatchObject({ success: true, numTotalTests: 12 });
    expect(run.process.stderr).toMatch(/Tests: +3 skipped, 1 todo, 8 passed, 12 total/);
    expect(run.process.stdout + run.process.stderr).not.toContain('3pio');
  });

  it('says what went wrong in the debug log', async () => {
    const log = await readFile(join(run.dir, 'debug.log'), 'utf8');
    expect(log).toContain('could not write a runStart event');
    expect(log).toContain('could not write a runComplete event');
  });
});
