/** The run directory, `.3pio/runs/<runId>/`, and the files 3pio keeps in it. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cannotCreate, createRunId, ensureOwnDirectory, ensureThreepioDirectory } from '@3pio/ipc/paths';

export interface RunDirectory {
  runId: string;
  path: string;
  ipcPath: string;
  outputLog: string;
}

/** Refuses (ThreepioDirectoryError) a `.3pio` or `.3pio/runs` that is a link or a file, or that cannot be written. */
export async function createRunDirectory(projectRoot: string): Promise<RunDirectory> {
  const runId = createRunId();
  const runs = join(ensureThreepioDirectory(projectRoot), 'runs');
  ensureOwnDirectory(runs);
  const path = join(runs, runId);
  // Not recursive: a new name, made here and now, or an error.
  await mkdir(path, { mode: 0o700 }).catch((error: unknown) => {
    throw cannotCreate(path, error);
  });
  return { runId, path, ipcPath: join(path, 'ipc.jsonl'), outputLog: join(path, 'output.log') };
}
