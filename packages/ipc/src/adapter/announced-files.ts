/**
 * What a `runStart` says of the files a run will run: their count, and their paths when
 * there are not so many that the one line becomes megabytes (PROTOCOL.md, `testFiles`).
 */
import type { RunStartEvent } from '../events/schemas.js';

export const MAX_ANNOUNCED_FILES = 10_000;

export function announcedFiles(paths: readonly string[]): Pick<RunStartEvent['payload'], 'totalFiles' | 'testFiles'> {
  return paths.length <= MAX_ANNOUNCED_FILES ? { totalFiles: paths.length, testFiles: [...paths] } : { totalFiles: paths.length };
}
