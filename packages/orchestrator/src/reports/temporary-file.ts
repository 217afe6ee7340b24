/**
 * Files 3pio replaces atomically are first written to a temporary file beside them,
 * then renamed into place, so a reader never sees half a file. The temporary name is
 * one nothing can predict (a test file's report directory could otherwise stand where
 * a predictable name is), it is never an existing file's (`wx`), and owner-only.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export async function openTemporary(dir: string): Promise<{ path: string; handle: FileHandle }> {
  for (;;) {
    const path = join(dir, `.3pio-${randomBytes(8).toString('hex')}.tmp`);
    try {
      return { path, handle: await open(path, 'wx', 0o600) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Chunks are gathered to about this many characters per write. */
const BATCH_CHARS = 64 * 1024;

function* batched(chunks: Iterable<string>): Generator<string> {
  let batch = '';
  for (const chunk of chunks) {
    batch += chunk;
    if (batch.length >= BATCH_CHARS) {
      yield batch;
      batch = '';
    }
  }
  if (batch !== '') yield batch;
}

/**
 * Writes the chunks to `path` atomically (owner-only); a reader sees the old file or the
 * whole new one. Streamed in bounded batches: a document of 100,000 tests is never one string.
 */
export async function writeStreamed(path: string, chunks: Iterable<string>): Promise<void> {
  await replaceAtomically(path, (handle) => pipeline(Readable.from(batched(chunks)), handle.createWriteStream()));
}

/**
 * Has `fill` write a temporary file beside `path`, then renames it into place: a reader
 * sees the old file or the whole new one, and a failure leaves neither half a file nor
 * the temporary one.
 */
export async function replaceAtomically(path: string, fill: (handle: FileHandle) => Promise<void>): Promise<void> {
  const { path: temporary, handle } = await openTemporary(dirname(path));
  try {
    await fill(handle);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
