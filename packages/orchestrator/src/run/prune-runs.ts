/**
 * Keeps `.3pio/runs/` from growing without end: once a session has finished, the run
 * directories beyond the newest N are deleted (N: THREEPIO_KEEP_RUNS, default 20; 0
 * keeps every run). Never deleted: a run in progress (another 3pio in the same
 * directory, run-marker.ts), the run that just finished, the run `latest` points at,
 * and anything that is not a run directory: `latest` itself, a link (never followed),
 * files of the user's. Run IDs sort by start time, so "newest" is by name.
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunId } from '@3pio/ipc/paths';
import { readLatest } from './latest-link.js';
import { isRunInProgress } from './run-marker.js';

export const DEFAULT_KEEP_RUNS = 20;
export const KEEP_RUNS_ENV = 'THREEPIO_KEEP_RUNS';

/** THREEPIO_KEEP_RUNS read: a whole number ≥ 0 (0: keep all); anything else is the default, with a warning to show. */
export function keepRunsSetting(value: string | undefined): { keep: number; warning?: string } {
  if (value === undefined || value.trim() === '') return { keep: DEFAULT_KEEP_RUNS };
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed))) return { keep: Number(trimmed) };
  return {
    keep: DEFAULT_KEEP_RUNS,
    warning: `${KEEP_RUNS_ENV}=${JSON.stringify(value)} is not a whole number of runs (0 keeps all); keeping the last ${DEFAULT_KEEP_RUNS}.`,
  };
}

export interface PruneResult {
  deleted: string[];
  /** Older than the newest N, left because they may still be running. */
  inProgress: string[];
}

/** Deletes the run directories of `runsDir` beyond the newest `keep`, except those described above. */
export async function pruneRuns(runsDir: string, options: { keep: number; current: string }): Promise<PruneResult> {
  const result: PruneResult = { deleted: [], inProgress: [] };
  if (options.keep <= 0) return result;
  const entries = await readdir(runsDir, { withFileTypes: true });
  // Dirents are lstat's view: a link named like a run is not a directory, so it is never followed or deleted.
  const runs = entries
    .filter((entry) => entry.isDirectory() && isRunId(entry.name))
    .map((entry) => entry.name)
    .sort()
    .reverse();
  const latest = await readLatest(runsDir);
  for (const run of runs.slice(options.keep)) {
    if (run === options.current || run === latest) continue;
    const path = join(runsDir, run);
    if (isRunInProgress(path)) {
      result.inProgress.push(run);
      continue;
    }
    // Looked at again just before: still a directory of its own, not a link put in its place meanwhile.
    if (!(await lstat(path)).isDirectory()) continue;
    await rm(path, { recursive: true, force: true });
    result.deleted.push(run);
  }
  return result;
}
