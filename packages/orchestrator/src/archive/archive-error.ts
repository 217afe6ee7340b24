/**
 * An archive 3pio will not pack or unpack: a name it cannot store, a hostile or broken
 * `.tgz`. The message names the archive and the entry, and says what is wrong with it.
 */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
}
