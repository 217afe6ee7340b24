/**
 * Where IPC files live (seed §12): `<projectRoot>/.3pio/ipc/<runId>.jsonl`.
 * Joins go through `node:path`, so separators are right on every platform.
 */
import { lstatSync, mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const THREEPIO_DIR = '.3pio';
export const IPC_PATH_ENV = 'THREEPIO_IPC_PATH';

const GITIGNORE = "# 3pio's runs and event files: not for version control.\n*\n";

/** A directory 3pio needs cannot be used; the message says why and what to do. */
export class ThreepioDirectoryError extends Error {
  override name = 'ThreepioDirectoryError';
}

const FS_CAUSES: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a part of its path is a file, not a directory',
  ENOENT: 'its parent directory does not exist',
};

/** The error for a directory of 3pio's that could not be made, with its real cause. */
export function cannotCreate(path: string, error: unknown): ThreepioDirectoryError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const cause = FS_CAUSES[code] ?? (error as Error).message;
  return new ThreepioDirectoryError(
    `cannot create ${path}: ${cause}${code === '' ? '' : ` (${code})`}. 3pio keeps its runs in .3pio/ of the directory it runs in: run it where it can write.`,
  );
}

/**
 * `path` as a directory of 3pio's own, made owner-only if missing. Never followed when
 * it is a symbolic link: `.3pio -> .` would have 3pio write its `.gitignore` (`*`) over
 * the project's own, and `.3pio -> /elsewhere` would have it write there.
 */
export function ensureOwnDirectory(path: string): void {
  try {
    mkdirSync(path, { mode: 0o700 });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotCreate(path, error);
  }
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) {
    throw new ThreepioDirectoryError(
      `${path} is a symbolic link (to ${readlinkSync(path)}), and 3pio does not write through links. Remove the link (3pio makes a directory there) or run 3pio elsewhere.`,
    );
  }
  if (!stat.isDirectory()) {
    throw new ThreepioDirectoryError(
      `${path} is a file, not a directory; 3pio keeps its runs there. Move the file away or run 3pio elsewhere.`,
    );
  }
}

/**
 * `<projectRoot>/.3pio`, made owner-only if missing (reports hold whatever the tests
 * printed), with a `.gitignore` that keeps it out of the project's git status, as test
 * caches do. An existing `.gitignore` there is left as it is.
 */
export function ensureThreepioDirectory(projectRoot: string = process.cwd()): string {
  const dir = join(resolve(projectRoot), THREEPIO_DIR);
  ensureOwnDirectory(dir);
  try {
    writeFileSync(join(dir, '.gitignore'), GITIGNORE, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotCreate(join(dir, '.gitignore'), error);
  }
  return dir;
}

export function ipcDirectory(projectRoot: string = process.cwd()): string {
  return join(resolve(projectRoot), THREEPIO_DIR, 'ipc');
}

const RUN_ID = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

/**
 * A run ID that sorts by start time and is unique even for runs started in the same
 * millisecond: `20261126T231528123Z-1a2b3c4d` (UTC, then 32 random bits).
 */
export function createRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  // node:crypto is loaded here, not at the top: adapters load this module in every runner process and rarely need a run ID.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, not at start-up (see above)
  const { randomBytes } = require('node:crypto') as typeof import('node:crypto');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

export function isRunId(value: string): boolean {
  return RUN_ID.test(value);
}

/** The IPC file of one run. Refuses anything but a run ID, so the name cannot climb out of the directory. */
export function ipcFilePath(runId: string, projectRoot: string = process.cwd()): string {
  if (!isRunId(runId)) {
    throw new Error(`Invalid run ID ${JSON.stringify(runId)}: expected the form createRunId() returns, e.g. 20261126T231528123Z-1a2b3c4d.`);
  }
  return join(ipcDirectory(projectRoot), `${runId}.jsonl`);
}
