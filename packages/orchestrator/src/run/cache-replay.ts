/**
 * Task runners replay a cached task's output instead of running it: under 3pio such a
 * task starts no test runner, so its tests are missing from the reports. What each says at
 * the end of its output when it did, and how to run without the cache. Checked on Nx 23
 * (`Cache: 1/1 hit`; older Nx: `Nx read the output from the cache…`) and Turborepo 2, which
 * never replays under 3pio: it hashes NODE_OPTIONS, which holds the session.
 */
import { plural } from '../text.js';

const NX = [
  /^\s*Cache:\s+(\d+)\/\d+ hit \(\d+%\)$/m,
  /Nx read the output from the cache instead of running the command for (\d+) out of \d+ tasks?/,
];
const TURBO = /^Cached:\s+(\d+) cached, \d+ total/m;

function count(pattern: RegExp, output: string): number {
  return Number(pattern.exec(output)?.[1] ?? 0);
}

/** What the user should know when the output shows cached tasks; undefined when it shows none. */
export function cacheReplayNote(output: string): string | undefined {
  const nx = Math.max(...NX.map((pattern) => count(pattern, output)));
  if (nx > 0) {
    return `Nx replayed ${plural(nx, 'task')} from its cache instead of running them: their tests are not in this report. To run them, add --skip-nx-cache to the nx command (or set NX_SKIP_NX_CACHE=true).`;
  }
  const turbo = count(TURBO, output);
  if (turbo > 0) {
    return `Turborepo replayed ${plural(turbo, 'task')} from its cache instead of running them: their tests are not in this report. To run them, add --force to the turbo command (or set TURBO_FORCE=true).`;
  }
  return undefined;
}
