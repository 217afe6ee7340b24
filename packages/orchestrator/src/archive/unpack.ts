/**
 * Unpacks a `.tgz` of `3pio pack` (or any gzipped ustar, pax or GNU tar archive of one
 * run directory): what `3pio merge` reads a packed run with. Archives come from other
 * machines and CI artifacts, so nothing in one is trusted: every name must be a plain
 * relative path inside one top-level folder named after a run ID, only files and
 * directories are made (never links or devices), no more than UnpackLimits allow, and a
 * damaged archive (gzip error, bad checksum, cut short) is refused. It is unpacked into a fresh folder of its own
 * and moved into place only when whole, so a refused archive leaves nothing behind.
 */
import { lstat, mkdir, mkdtemp, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { isRunId } from '@3pio/ipc/paths';
import { ArchiveError } from './archive-error.js';
import { ByteReader } from './byte-reader.js';
import { pathProblem } from './entry-path.js';
import { BLOCK, MAX_EXTENDED_BYTES, padding, readHeader, readPaxRecords, type Entry, type Header } from './tar-format.js';

/** A file's contents are written a gunzip chunk at a time, never more. */
const MAX_PIECE = 64 * 1024;

const KINDS: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '6': 'a FIFO',
  '7': 'a contiguous file',
  g: 'a global extended header',
};

const truncated = (what: string): ArchiveError => new ArchiveError(`it is truncated: it ends in the middle of ${what}`);

function decodedName(name: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(name);
  } catch {
    throw new ArchiveError(`the entry "${name.toString('utf8')}" has a name that is not UTF-8`);
  }
}

/** The entry a header describes (its name from a pax or long-name header before it, when there was one), checked. */
function entryOf(header: Header, { pax, longName }: Extension): Entry {
  const stored = pax?.get('path') ?? decodedName(longName ?? header.name);
  const type = header.type === '0' || header.type === '\0' ? 'file' : header.type === '5' ? 'directory' : undefined;
  const path = type === 'directory' ? stored.replace(/\/$/, '') : stored;
  const problem = pathProblem(path);
  if (problem !== undefined) throw new ArchiveError(`the entry "${stored}" ${problem}`);
  if (type === undefined) {
    const kind = KINDS[header.type] ?? `of type "${header.type}"`;
    const target = header.type === '1' || header.type === '2' ? ` (to "${header.linkName}")` : '';
    throw new ArchiveError(`the entry "${stored}" is ${kind}${target}: a run directory's archive holds only files and directories`);
  }
  const size = pax?.get('size');
  if (size !== undefined && !/^\d{1,15}$/.test(size))
    throw new ArchiveError(`the entry "${stored}" has an extended size that is not a number`);
  return { path, type, size: size === undefined ? header.size : Number(size), mtime: header.mtime };
}

/** The run directory's name, from the first entry; every other entry must be inside it. */
function checkTop(entry: Entry, top: string | undefined): string {
  const first = entry.path.split('/')[0] ?? '';
  if (top === undefined && !isRunId(first))
    throw new ArchiveError(`the entry "${entry.path}" is not inside a folder named after a run ID: a 3pio pack holds one run directory`);
  if (top !== undefined && first !== top)
    throw new ArchiveError(`the entry "${entry.path}" is outside ${top}/: a 3pio pack holds one run directory, nothing beside it`);
  if (entry.path === first && entry.type === 'file')
    throw new ArchiveError(`the entry "${entry.path}" is a file where the run directory should be`);
  return first;
}

/** Skips what follows a header that is not extracted (a directory's contents, if any, and padding). */
async function skip(reader: ByteReader, bytes: number, what: string): Promise<void> {
  let left = bytes;
  while (left > 0) {
    const piece = await reader.take(Math.min(left, MAX_PIECE));
    if (piece.length === 0) throw truncated(what);
    left -= piece.length;
  }
}

/** A clash between entries (a file twice, a file where a directory is) is the archive's fault, not the disk's. */
function clash(error: unknown, entry: Entry): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR'
    ? new ArchiveError(`the entry "${entry.path}" clashes with an earlier entry of the same name (${code})`)
    : error;
}

async function writeAll(handle: FileHandle, piece: Buffer): Promise<void> {
  for (let written = 0; written < piece.length;) written += (await handle.write(piece, written)).bytesWritten;
}

async function extractFile(reader: ByteReader, entry: Entry, target: string): Promise<void> {
  let handle: FileHandle;
  try {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    handle = await open(target, 'wx', 0o600);
  } catch (error) {
    throw clash(error, entry);
  }
  try {
    for (let left = entry.size; left > 0;) {
      const piece = await reader.take(Math.min(left, MAX_PIECE));
      if (piece.length === 0) throw truncated(`"${entry.path}"`);
      await writeAll(handle, piece);
      left -= piece.length;
    }
    await handle.utimes(entry.mtime, entry.mtime);
  } finally {
    await handle.close();
  }
}

/** What headers before an entry said of it: a pax header's records, a GNU long name. */
interface Extension {
  pax?: Map<string, string>;
  longName?: Buffer;
}

/** Reads the body of a pax (`x`) or GNU long-name (`L`, `K`) header into `extension`. */
async function readExtension(reader: ByteReader, header: Header, extension: Extension): Promise<void> {
  // Read whole, so only as large as a name and a size can make it.
  if (header.size > MAX_EXTENDED_BYTES) throw new ArchiveError(`it has an extended header of ${header.size} bytes, more than 3pio reads`);
  const body = await reader.exactly(header.size);
  if (body.length < header.size) throw truncated('an extended header');
  await skip(reader, padding(header.size), 'an extended header');
  if (header.type === 'x') extension.pax = readPaxRecords(body);
  // GNU tar's name of an entry over 100 bytes, NUL-terminated; `K`, a link's target, is of no use: links are refused.
  else if (header.type === 'L') extension.longName = body.subarray(0, body.includes(0) ? body.indexOf(0) : body.length);
}

/**
 * What an archive may unpack to. A run directory is its reports, its events and the
 * command's output: far less than this; an archive that claims more (a decompression
 * bomb from an artifact store) is refused before it fills the disk.
 */
export interface UnpackLimits {
  /** The sum of the entries' sizes, in bytes (default 8 GiB). */
  maxBytes: number;
  /** Files and directories (default 1,000,000: a run of 100,000 test files has about 300,000). */
  maxEntries: number;
}

const DEFAULT_LIMITS: UnpackLimits = { maxBytes: 8 * 1024 ** 3, maxEntries: 1_000_000 };

/** Extracts the archive's entries from `reader` into `staging`; the name of the run directory made there. */
async function extractEntries(reader: ByteReader, staging: string, limits: UnpackLimits): Promise<string> {
  let top: string | undefined;
  let extension: Extension = {};
  let bytes = 0;
  let entries = 0;
  for (;;) {
    const block = await reader.exactly(BLOCK);
    if (block.length < BLOCK) throw truncated(block.length === 0 ? 'the archive, before its end-of-archive block' : 'a header');
    const header = readHeader(block);
    if (header === 'end') break;
    if (header.type === 'x' || header.type === 'L' || header.type === 'K') {
      await readExtension(reader, header, extension);
      continue;
    }
    const entry = entryOf(header, extension);
    extension = {};
    top = checkTop(entry, top);
    // Counted as the headers declare them, before anything of the entry is written.
    bytes += entry.size;
    entries += 1;
    if (bytes > limits.maxBytes)
      throw new ArchiveError(`it unpacks to more than ${limits.maxBytes} bytes (at "${entry.path}"): more than a run directory holds`);
    if (entries > limits.maxEntries)
      throw new ArchiveError(`it holds more than ${limits.maxEntries} entries (at "${entry.path}"): more than a run directory holds`);
    // Every segment was checked to be a plain name: the target is inside `staging`.
    const target = join(staging, ...entry.path.split('/'));
    if (entry.type === 'directory') {
      try {
        await mkdir(target, { recursive: true, mode: 0o700 });
      } catch (error) {
        throw clash(error, entry);
      }
      await skip(reader, entry.size, `"${entry.path}"`);
    } else {
      await extractFile(reader, entry, target);
    }
    await skip(reader, padding(entry.size), `"${entry.path}"`);
  }
  if (extension.pax !== undefined || extension.longName !== undefined)
    throw new ArchiveError('it ends after an extended header, without the entry it is for');
  if (top === undefined) throw new ArchiveError('it is empty: there is no run directory in it');
  await reader.drain();
  return top;
}

/** A problem with the archive itself, said as what it is; anything else (the destination's disk) as it came. */
function described(error: unknown, tgzFile: string): unknown {
  const prefix = `Cannot unpack ${tgzFile}`;
  if (error instanceof ArchiveError) return new ArchiveError(`${prefix}: ${error.message}`, { cause: error });
  const { code = '', syscall } = error as NodeJS.ErrnoException;
  if (syscall === 'read') return new ArchiveError(`Cannot read ${tgzFile}: ${(error as Error).message}`, { cause: error });
  if (code.startsWith('Z_'))
    return new ArchiveError(`${prefix}: it is not a whole gzip file (${(error as Error).message})`, { cause: error });
  return error;
}

/**
 * Unpacks `tgzFile` into `destDir` (made if missing) and returns the path of the run
 * directory it held, `<destDir>/<run id>`. Throws ArchiveError, naming the archive and
 * the entry, for an archive that is damaged or not a run directory's; on any error
 * nothing of it is left in `destDir`.
 */
export async function unpackArchive(tgzFile: string, destDir: string, limits: UnpackLimits = DEFAULT_LIMITS): Promise<string> {
  let input: FileHandle;
  try {
    input = await open(tgzFile, 'r');
  } catch (error) {
    throw new ArchiveError(`Cannot read ${tgzFile}: ${(error as Error).message}`, { cause: error });
  }
  await mkdir(destDir, { recursive: true, mode: 0o700 });
  const staging = await mkdtemp(join(destDir, '.3pio-unpack-'));
  try {
    let top = '';
    await pipeline(input.createReadStream(), createGunzip(), async (source: AsyncIterable<Buffer>) => {
      top = await extractEntries(new ByteReader(source[Symbol.asyncIterator]()), staging, limits);
    });
    const target = join(destDir, top);
    const existing = await lstat(target).then(
      () => true,
      () => false,
    );
    if (existing) throw new ArchiveError(`${target} already exists`);
    await rename(join(staging, top), target);
    return target;
  } catch (error) {
    throw described(error, tgzFile);
  } finally {
    await input.close().catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
  }
}
