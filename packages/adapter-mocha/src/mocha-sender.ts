/**
 * The adapter's sender, in the main process and in parallel workers. Mocha runs a
 * trivial test in ~65 µs, so one write(2) per event would be a measurable share of the
 * run: events are gathered for about 1 ms (a file's start and end and failures go out
 * at once; see AdapterSenderOptions.batchWindowMs).
 */
import { createAdapterSender, IPC_PATH_ENV, type AdapterSender } from '@3pio/ipc/adapter';

const BATCH_WINDOW_MS = 1;

/** How the main process tells its --parallel workers which run their events belong to. */
export const RUN_ENV = 'THREEPIO_RUN';

/** `ipcPath`: the session's file, when 3pio registered the adapter in this process. */
export function createMochaSender(ipcPath?: string): AdapterSender {
  return createAdapterSender(process.cwd(), { batchWindowMs: BATCH_WINDOW_MS, ...(ipcPath === undefined ? {} : { ipcPath }) });
}

/**
 * Hands the IPC file (3pio's, or the one picked when configured by hand) and the run to the
 * --parallel workers Mocha is about to start: they inherit the main process's environment,
 * and read both when their reporter loads. No test runs in the main process of a parallel run.
 */
export function shareWithWorkers(sender: AdapterSender): void {
  process.env[IPC_PATH_ENV] = sender.ipcPath;
  if (sender.run !== undefined) process.env[RUN_ENV] = sender.run;
}

/**
 * In a worker: the file and the run the main process shared, taken out of the environment
 * so that the tests the worker runs do not see them (a test that starts a runner of its
 * own must not report into this run).
 */
export function takeSharedRun(): { ipcPath: string | undefined; run: string | undefined } {
  const shared = { ipcPath: process.env[IPC_PATH_ENV], run: process.env[RUN_ENV] };
  delete process.env[IPC_PATH_ENV];
  delete process.env[RUN_ENV];
  return shared;
}
