/**
 * `3pio replay <ipc.jsonl>`: rebuilds the reports and the console summary of a run
 * from its recorded events, e.g. the file an adapter wrote when it was configured by
 * hand. The events are copied into a new run directory first, so the original is
 * never touched.
 */
import { copyFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ConsoleTarget } from '../console/console-reporter.js';
import { UsageError } from '../errors.js';
import { createRunDirectory } from './run-directory.js';
import { RunSession } from './run-session.js';

export async function replay(eventFile: string, options: { cwd: string; out: ConsoleTarget }): Promise<number> {
  const source = resolve(options.cwd, eventFile);
  const runDir = await createRunDirectory(options.cwd);
  try {
    await copyFile(source, runDir.ipcPath);
  } catch (error) {
    throw new UsageError(`Cannot read the event file ${source}: ${(error as Error).message}`, { cause: error });
  }
  const session = new RunSession({
    runDir: runDir.path,
    ipcPath: runDir.ipcPath,
    projectRoot: options.cwd,
    cwd: options.cwd,
    command: `3pio replay ${eventFile}`,
    out: options.out,
  });
  await session.header(`replay of ${source}`);
  await session.start();
  await session.drain();
  const status = await session.finish({ incompleteReason: 'the recorded events end before this file finished' });
  return status === 'PASSED' ? 0 : 1;
}
