/**
 * The adapter's sender, in the main process and in parallel workers. Mocha runs a
 * trivial test in ~65 µs, so one write(2) per event would be a measurable share of the
 * run: events are gathered for about 1 ms (a file's start and end and failures go out
 * at once; see AdapterSenderOptions.batchWindowMs).
 */
import { createAdapterSender, type AdapterSender } from '@3pio/ipc/adapter';

const BATCH_WINDOW_MS = 1;

export function createMochaSender(): AdapterSender {
  // Configured by hand, the --parallel workers' reporters must find the file the main process picked.
  return createAdapterSender(process.cwd(), { batchWindowMs: BATCH_WINDOW_MS, shareWithChildProcesses: true });
}
