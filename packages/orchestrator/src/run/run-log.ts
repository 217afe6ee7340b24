/**
 * `3pio.log` in the run directory: what the IPC reader had to say (an invalid line, a
 * half-written line, a file watcher that failed). Such problems never stop a run, and
 * the console only counts them; the details are here.
 */
import { appendFileSync } from 'node:fs';
import type { Logger } from '@3pio/ipc';

export const RUN_LOG = '3pio.log';

export function runLog(path: string, withDebug = process.env.THREEPIO_DEBUG === '1'): Logger {
  const append = (level: string, message: string) => {
    try {
      appendFileSync(path, `${new Date().toISOString()} ${level} ${message}\n`, { mode: 0o600 });
    } catch {
      // The log is a convenience: failing to write it must not fail the run.
    }
  };
  return {
    debug: (message) => {
      if (withDebug) append('debug', message);
    },
    warn: (message) => append('warn', message),
    error: (message) => append('error', message),
  };
}
