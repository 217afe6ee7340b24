/**
 * Runs a reporter hook's body so that nothing the adapter does can throw into Jest or
 * change the outcome of the user's run. Writes are already safe (the sender never
 * throws); this covers mapping bugs on shapes Jest did not promise, which go to the
 * debug log (THREEPIO_DEBUG_LOG) instead of the runner's output.
 */
import { debugLog } from '@3pio/ipc/adapter';

export function guard(hook: string, body: () => void): void {
  try {
    body();
  } catch (error) {
    debugLog(`3pio's Jest adapter failed in ${hook}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
