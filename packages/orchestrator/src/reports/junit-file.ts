/**
 * The copy of `junit.xml` that `--junit <path>` asks for, where CI looks for it: the
 * path checked before the run, the copy made after it, replaced atomically.
 */
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { openTemporary } from './temporary-file.js';

/** A path `--junit` cannot write to; the message names it and why. */
export class JunitPathError extends Error {
  override name = 'JunitPathError';
}

function cannotWrite(target: string, error: unknown): JunitPathError {
  return new JunitPathError(`cannot write the JUnit report to ${target}: ${(error as Error).message}`, { cause: error });
}

/**
 * Checks, before anything runs, that the `--junit` file can be written: its directory
 * is made (owner-only) if missing, and a directory standing at the path is refused.
 * A whole test run is not wasted on a path that was never going to work.
 */
export async function prepareJunitTarget(target: string): Promise<void> {
  try {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const existing = await stat(target).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    });
    if (existing?.isDirectory() === true) throw Object.assign(new Error(`${basename(target)} is a directory`), { code: 'EISDIR' });
    // Proves the directory takes a new file; the same temporary file the copy will use, removed at once.
    const { path, handle } = await openTemporary(dirname(target));
    await handle.close();
    await rm(path, { force: true });
  } catch (error) {
    throw cannotWrite(target, error);
  }
}

/** Copies the run's `junit.xml` to `target`, replacing it atomically (a link there is replaced, never followed). */
export async function copyJunit(source: string, target: string): Promise<void> {
  try {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const { path: temporary, handle } = await openTemporary(dirname(target));
    await handle.close();
    try {
      await copyFile(source, temporary);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  } catch (error) {
    throw cannotWrite(target, error);
  }
}
