/**
 * Packs a run directory into one `.tgz` (gzipped POSIX ustar, pax headers for long
 * names), for a CI artifact that `3pio merge` reads back on another machine. The archive
 * holds one folder named after the run (`<run id>/test-run.md`, `<run id>/reports/…`):
 * relative names only, owner-only modes, anonymous owners, the files' modification
 * times. Links are neither followed nor stored. It is streamed: a file is read 64 KiB at
 * a time as gzip takes it, so a 100 MB output.log never sits in memory.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { isRunId } from '@3pio/ipc/paths';
import { replaceAtomically } from '../reports/temporary-file.js';
import { RUNNING_MARKER } from '../run/run-marker.js';
import { ArchiveError } from './archive-error.js';
import { pathProblem } from './entry-path.js';
import { BLOCK, entryHeaders, padding, zeros } from './tar-format.js';

const READ_BYTES = 64 * 1024;
/** Where links can be refused at open (not Windows, where `lstat` in the walk is what keeps them out). */
const NO_FOLLOW = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0;

interface Found {
  /** On disk. */
  path: string;
  /** In the archive. */
  name: string;
  directory: boolean;
}

const seconds = (mtimeMs: number): number => Math.floor(mtimeMs / 1000);
const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The directory and what is under it, directories before their contents, in name order (the same run packs the same). */
async function* walk(path: string, name: string): AsyncGenerator<Found> {
  yield { path, name, directory: true };
  for (const entry of (await readdir(path, { withFileTypes: true })).sort(byName)) {
    const found = { path: join(path, entry.name), name: `${name}/${entry.name}` };
    // Only while a run goes on does its marker mean anything; unpacked elsewhere, it would keep the run "in progress" forever.
    if (!name.includes('/') && entry.name === RUNNING_MARKER) continue;
    const problem = pathProblem(found.name);
    if (problem !== undefined) throw new ArchiveError(`${found.path} ${problem}: it cannot be put in an archive 3pio can read`);
    if (entry.isDirectory()) yield* walk(found.path, found.name);
    else if (entry.isFile()) yield { ...found, directory: false };
    // Links, sockets, FIFOs: not a run's files, and a link could lead anywhere.
  }
}

/** A file's header and contents, exactly the size its header gives, read a piece at a time. */
async function* fileBlocks(found: Found): AsyncGenerator<Buffer> {
  const handle = await open(found.path, constants.O_RDONLY | NO_FOLLOW);
  try {
    const stats = await handle.stat();
    // Replaced by something else since the walk saw it: left out, as the walk would have.
    if (!stats.isFile()) return;
    yield entryHeaders({ path: found.name, type: 'file', size: stats.size, mtime: seconds(stats.mtimeMs) });
    let read = 0;
    if (stats.size > 0) {
      const stream = handle.createReadStream({ start: 0, end: stats.size - 1, highWaterMark: READ_BYTES, autoClose: false });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        read += chunk.length;
        yield chunk;
      }
    }
    if (read !== stats.size)
      throw new ArchiveError(`${found.path} shrank while it was packed (${stats.size} bytes, then ${read}): pack a run that is over`);
    yield zeros(padding(stats.size));
  } finally {
    await handle.close();
  }
}

async function* archiveBlocks(root: string, top: string): AsyncGenerator<Buffer> {
  for await (const found of walk(root, top)) {
    if (found.directory) {
      yield entryHeaders({ path: found.name, type: 'directory', size: 0, mtime: seconds((await lstat(found.path)).mtimeMs) });
    } else {
      yield* fileBlocks(found);
    }
  }
  yield zeros(2 * BLOCK);
}

/**
 * Writes `outFile` (a `.tgz`, owner-only, replaced atomically) holding the run
 * directory `runDir` (a link to it, like `.3pio/runs/latest`, is resolved) under one
 * folder named after it. Throws ArchiveError when the directory's name is not a run
 * ID, a name in it cannot be stored, or `outFile` would be inside it.
 */
export async function packRunDirectory(runDir: string, outFile: string): Promise<void> {
  const root = await realpath(runDir);
  if (!(await stat(root)).isDirectory()) throw new ArchiveError(`${runDir} is not a directory`);
  // unpackArchive takes only a run ID for the folder: 3pio never writes an archive it would refuse.
  const top = basename(root);
  if (!isRunId(top))
    throw new ArchiveError(`${runDir} is not named after a run ID (like 20261126T231528123Z-1a2b3c4d): not a run directory`);
  const out = resolve(outFile);
  const outDir = await realpath(dirname(out));
  if (outDir === root || outDir.startsWith(`${root}${sep}`))
    throw new ArchiveError(`${outFile} would be inside the run directory it packs (${runDir}): write it elsewhere`);
  await replaceAtomically(out, (handle) => pipeline(Readable.from(archiveBlocks(root, top)), createGzip(), handle.createWriteStream()));
}
