/**
 * `.3pio/runs/latest`: the newest finished run, at a path that never changes. A
 * relative symbolic link to the run's directory (`latest -> 20261126T…`), replaced
 * atomically (a new link under a temporary name renamed over the old one), so a
 * reader always finds a whole run through it. Where links cannot be made (Windows
 * without the privilege, file systems without links) it is a file holding the run
 * directory's name instead.
 *
 * It is moved when a session finishes, not when it starts: through `latest` one reads
 * final reports, never a run still going. With two 3pio sessions at once in one
 * directory, `latest` is the one that finished last.
 */
import { randomBytes } from 'node:crypto';
import { lstat, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunId } from '@3pio/ipc/paths';

export const LATEST = 'latest';

function temporaryName(runsDir: string): string {
  return join(runsDir, `.latest-${randomBytes(8).toString('hex')}.tmp`);
}

/** Points `latest` in `runsDir` at the run `runId` (a directory beside it). */
export async function pointLatest(runsDir: string, runId: string): Promise<void> {
  const temporary = temporaryName(runsDir);
  try {
    await symlink(runId, temporary, 'dir');
  } catch {
    // No links here: the name, in a file, replaced the same way.
    await writeFile(temporary, `${runId}\n`, { flag: 'wx', mode: 0o600 });
  }
  try {
    await rename(temporary, join(runsDir, LATEST));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * The run `latest` names, whether a link or a file; undefined when there is none. Only a
 * run ID is accepted, so `latest` can never lead out of `runsDir`.
 */
export async function readLatest(runsDir: string): Promise<string | undefined> {
  const path = join(runsDir, LATEST);
  try {
    const stat = await lstat(path);
    // A run ID and a newline; anything much larger is not a `latest` of 3pio's.
    const name = stat.isSymbolicLink()
      ? await readlink(path)
      : stat.isFile() && stat.size < 256
        ? (await readFile(path, 'utf8')).trim()
        : '';
    return isRunId(name) ? name : undefined;
  } catch {
    return undefined;
  }
}
