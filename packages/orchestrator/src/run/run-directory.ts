/** The run directory, `.3pio/runs/<runId>/`, and the files 3pio keeps in it. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createRunId, ensureThreepioDirectory } from '@3pio/ipc/paths';

export interface RunDirectory {
  runId: string;
  path: string;
  ipcPath: string;
  outputLog: string;
}

export async function createRunDirectory(projectRoot: string): Promise<RunDirectory> {
  const runId = createRunId();
  const path = join(ensureThreepioDirectory(projectRoot), 'runs', runId);
  await mkdir(path, { recursive: true, mode: 0o700 });
  return { runId, path, ipcPath: join(path, 'ipc.jsonl'), outputLog: join(path, 'output.log') };
}
