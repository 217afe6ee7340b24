/**
 * `3pio replay <ipc.jsonl>`: rebuilds the reports and the console summary of a run
 * from its recorded events, e.g. the file an adapter wrote when it was configured by
 * hand. The events are copied into a new run directory first (read to their end, so a
 * pipe works too, and `-` for standard input), so the original is never touched.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ConsoleTarget } from '../console/console-reporter.js';
import { UsageError } from '../errors.js';
import { EXIT_USAGE } from './exit-codes.js';
import { closeRunDirectory, createRunDirectory, type RunDirectory } from './run-directory.js';
import { RunSession } from './run-session.js';

/** Copies the recording into the new run directory, owner-only like every file 3pio writes. */
async function copyRecording(source: string, opened: NodeJS.ReadableStream, runDir: RunDirectory): Promise<void> {
  try {
    await pipeline(opened, createWriteStream(runDir.ipcPath, { mode: 0o600, flags: 'wx' }));
  } catch (error) {
    throw new UsageError(`Cannot read the event file ${source}: ${(error as Error).message}`, { cause: error });
  }
  if ((await stat(runDir.ipcPath)).size === 0) throw new UsageError(`The event file ${source} is empty: there is nothing to replay.`);
}

export async function replay(
  eventFile: string,
  options: { cwd: string; out: ConsoleTarget; keepRuns: number; junit?: string },
): Promise<number> {
  const fromStdin = eventFile === '-' || eventFile === '/dev/stdin';
  const source = fromStdin ? 'standard input' : resolve(options.cwd, eventFile);
  // Standard input is taken as it is: a socket (what many tools give a child) cannot be opened again by name.
  const input = fromStdin ? process.stdin : createReadStream(source);
  try {
    // Opened before the run directory is made: an unreadable file leaves nothing behind.
    if (!fromStdin) await once(input, 'open');
  } catch (error) {
    throw new UsageError(`Cannot read the event file ${source}: ${(error as Error).message}`, { cause: error });
  }
  const runDir = await createRunDirectory(options.cwd);
  try {
    await copyRecording(source, input, runDir);
  } catch (error) {
    input.destroy();
    await rm(runDir.path, { recursive: true, force: true });
    throw error;
  }
  const session = new RunSession({
    runDir: runDir.path,
    ipcPath: runDir.ipcPath,
    projectRoot: options.cwd,
    cwd: options.cwd,
    command: `3pio replay ${eventFile}`,
    out: options.out,
    ...(options.junit === undefined ? {} : { junitCopy: options.junit }),
  });
  await session.header(`replay of ${source}`);
  await session.start();
  await session.drain();
  if (session.state.runs.size === 0) {
    await session.finish({
      status: 'ERROR',
      incompleteReason: 'the recorded events end before this file finished',
      note: `The event file holds no event 3pio could use: nothing was replayed (what it met is in 3pio.log).`,
      exitCode: EXIT_USAGE,
    });
    await closeRunDirectory(runDir, { keepRuns: options.keepRuns, log: session.log });
    return EXIT_USAGE;
  }
  const status = await session.finish({ incompleteReason: 'the recorded events end before this file finished' });
  await closeRunDirectory(runDir, { keepRuns: options.keepRuns, log: session.log });
  return session.exitCode ?? (status === 'PASSED' ? 0 : 1);
}
