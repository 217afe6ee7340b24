/**
 * A run in progress says so with a marker in its run directory, `running.json`: the
 * pid and host of the 3pio running it. It is made with the directory (run-directory.ts)
 * and removed when the session is over. Pruning (prune-runs.ts) never deletes a run
 * whose marker names a live process, or a process on another host it cannot ask: a
 * second 3pio in the same project may be in the middle of it. A marker left by a 3pio
 * that was killed names a dead process, and its run can go.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const RUNNING_MARKER = 'running.json';

interface Marker {
  pid: number;
  host: string;
}

export function writeRunningMarker(runDir: string): void {
  const marker: Marker = { pid: process.pid, host: hostname() };
  writeFileSync(join(runDir, RUNNING_MARKER), `${JSON.stringify(marker)}\n`, { flag: 'wx', mode: 0o600 });
}

export function removeRunningMarker(runDir: string): void {
  rmSync(join(runDir, RUNNING_MARKER), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, and is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the run may still be going on. Unsure (a marker 3pio cannot read, another host's) counts as yes. */
export function isRunInProgress(runDir: string): boolean {
  let text: string;
  try {
    text = readFileSync(join(runDir, RUNNING_MARKER), 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  try {
    const marker = JSON.parse(text) as Partial<Marker>;
    if (typeof marker.pid !== 'number' || !Number.isInteger(marker.pid) || marker.pid <= 0 || typeof marker.host !== 'string') return true;
    return marker.host !== hostname() || isAlive(marker.pid);
  } catch {
    return true;
  }
}
