/** The run directory, `.3pio/runs/<runId>/`, and the files 3pio keeps in it. */
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cannotCreate, createRunId, ensureOwnDirectory, ensureThreepioDirectory, THREEPIO_DIR } from '@3pio/ipc/paths';
import type { Logger } from '@3pio/ipc';
import { pointLatest } from './latest-link.js';
import { pruneRuns } from './prune-runs.js';
import { removeRunningMarker, writeRunningMarker } from './run-marker.js';

export interface RunDirectory {
  runId: string;
  /** `.3pio/runs`, where every run directory is. */
  runsDir: string;
  path: string;
  ipcPath: string;
  outputLog: string;
}

/** `<projectRoot>/.3pio/runs`, whether it exists or not. */
export function runsDirectoryOf(projectRoot: string): string {
  return join(projectRoot, THREEPIO_DIR, 'runs');
}

/** Refuses (ThreepioDirectoryError) a `.3pio` or `.3pio/runs` that is a link or a file, or that cannot be written. */
export async function createRunDirectory(projectRoot: string): Promise<RunDirectory> {
  const runId = createRunId();
  const runs = join(ensureThreepioDirectory(projectRoot), 'runs');
  ensureOwnDirectory(runs);
  const path = join(runs, runId);
  // Made under a name no run has, with its in-progress marker, then renamed: a run
  // directory is never seen without its marker, so pruning cannot take it for a dead run.
  const staging = join(runs, `.${runId}.new`);
  try {
    await mkdir(staging, { mode: 0o700 });
    writeRunningMarker(staging);
    await rename(staging, path);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw cannotCreate(path, error);
  }
  return { runId, runsDir: runs, path, ipcPath: join(path, 'ipc.jsonl'), outputLog: join(path, 'output.log') };
}

/**
 * The session is over and its reports are final: the run is no longer in progress,
 * `latest` points at it, and runs beyond the newest `keepRuns` are deleted. None of it
 * may fail the run: problems go to the run's log.
 */
export async function closeRunDirectory(runDir: RunDirectory, options: { keepRuns: number; log: Logger }): Promise<void> {
  try {
    removeRunningMarker(runDir.path);
  } catch (error) {
    options.log.warn(`Cannot remove the in-progress marker of ${runDir.path}: ${String(error)}`);
  }
  await pointLatest(runDir.runsDir, runDir.runId).catch((error: unknown) =>
    options.log.warn(`Cannot point ${join(runDir.runsDir, 'latest')} at ${runDir.runId}: ${String(error)}`),
  );
  try {
    const { inProgress } = await pruneRuns(runDir.runsDir, { keep: options.keepRuns, current: runDir.runId });
    if (inProgress.length > 0) options.log.debug(`Kept ${inProgress.join(', ')}: still in progress.`);
  } catch (error) {
    options.log.warn(`Cannot prune old runs in ${runDir.runsDir}: ${String(error)}`);
  }
}
