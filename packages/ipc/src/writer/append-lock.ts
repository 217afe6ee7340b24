/**
 * A cross-process, cross-machine lock around one append, for file systems where
 * O_APPEND alone is not atomic. proper-lockfile takes the lock with mkdir, which is
 * atomic on NFS too. Its sync API cannot retry, so the backoff (seed §7) is here.
 */
import { now } from './captured-globals.js';
import type * as ProperLockfile from 'proper-lockfile';

const STALE_MS = 10_000;
const FIRST_DELAY_MS = 1;
const MAX_DELAY_MS = 100;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread: sendEvent() is synchronous by contract, so it cannot await. */
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function isLockedError(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ELOCKED';
}

let lockfile: typeof ProperLockfile | undefined;

/**
 * Loaded on first use: on a local disk nothing is ever locked, and loading it costs an
 * adapter ~7 ms at startup and installs signal-exit's handlers in the user's runner.
 */
function properLockfile(): typeof ProperLockfile {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, not at start-up (see above)
  lockfile ??= require('proper-lockfile') as typeof ProperLockfile;
  return lockfile;
}

export function withAppendLock<T>(path: string, timeoutMs: number, action: () => T): T {
  const { lockSync } = properLockfile();
  const deadline = now() + timeoutMs;
  let delay = FIRST_DELAY_MS;
  for (;;) {
    let release: () => void;
    try {
      release = lockSync(path, { realpath: false, stale: STALE_MS });
    } catch (error) {
      if (!isLockedError(error)) throw error;
      if (now() >= deadline) {
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for the lock on ${path} (held by another writer). ` +
            `If no 3pio writer is running, remove ${path}.lock.`,
          { cause: error },
        );
      }
      sleepSync(delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
      continue;
    }
    try {
      return action();
    } finally {
      release();
    }
  }
}
