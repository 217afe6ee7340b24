/**
 * The names an archive of 3pio's may hold: plain relative paths (`/`-separated, no
 * trailing `/`) under one top-level folder. The same rule is applied when packing, so
 * that 3pio never writes an archive it would refuse to read, and when unpacking, where
 * a name is all a hostile archive has to climb out of the destination with.
 */

/** The longest name of one file or directory, in UTF-8 bytes (NAME_MAX on Linux and macOS). */
const MAX_SEGMENT_BYTES = 255;
/** The longest whole name (PATH_MAX on Linux); a run directory's deepest report path is far shorter. */
export const MAX_PATH_BYTES = 4096;

/** What is wrong with `path` as a name in an archive; undefined when nothing is. */
export function pathProblem(path: string): string | undefined {
  if (path === '') return 'has an empty name';
  if (path.startsWith('/')) return 'is an absolute path';
  // Not a separator here, but one on Windows, where the archive may be unpacked.
  if (path.includes('\\')) return 'holds a backslash, a path separator on Windows';
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) return `is longer than ${MAX_PATH_BYTES} bytes`;
  for (const segment of path.split('/')) {
    if (segment === '..') return 'climbs out of its folder with ..';
    if (segment === '' || segment === '.') return 'has an empty or "." segment';
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return `has a segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}
