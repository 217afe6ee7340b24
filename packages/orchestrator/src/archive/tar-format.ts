/**
 * The POSIX ustar format (IEEE 1003.1-1988, the `tar` of every system), with pax
 * extended headers (`typeflag x`, POSIX.1-2001) for what ustar cannot hold: a name over
 * 255 bytes (report paths reach about 700) or a file over 8 GiB. Written by hand
 * because it is this small (a 512-byte header a file, contents padded to 512 bytes),
 * so that 3pio needs no dependency for it.
 *
 * A header's fields, at their offsets: name 0 (100 bytes), mode 100 (8), uid 108 (8),
 * gid 116 (8), size 124 (12), mtime 136 (12), chksum 148 (8), typeflag 156 (1),
 * linkname 157 (100), magic 257 (6), version 263 (2), uname 265 (32), gname 297 (32),
 * devmajor 329 (8), devminor 337 (8), prefix 345 (155). Numbers are octal text.
 */
import { ArchiveError } from './archive-error.js';

export const BLOCK = 512;

const NAME_BYTES = 100;
const PREFIX_BYTES = 155;
const CHECKSUM_AT = 148;
const TYPE_AT = 156;
const MAGIC_AT = 257;
const PREFIX_AT = 345;
/** The largest size the 12-byte octal field holds (11 digits): 8 GiB - 1. */
const MAX_OCTAL_SIZE = 0o77777777777;
/** A pax or GNU long-name header larger than this holds more than a path and a size: not one 3pio reads. */
export const MAX_EXTENDED_BYTES = 64 * 1024;

const POSIX_MAGIC = Buffer.from('ustar\x0000', 'latin1');
/** GNU tar's own format (its default): the same header, but its prefix field holds other things. */
const GNU_MAGIC = Buffer.from('ustar  \x00', 'latin1');

export type EntryType = 'file' | 'directory';

export interface Entry {
  /** The name in the archive: a relative `/`-separated path, no trailing `/`. */
  path: string;
  type: EntryType;
  /** Bytes of content (0 for a directory). */
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
}

/** Zeros: two blocks of them end an archive, and contents are padded with them to a whole block. */
export const zeros = (bytes: number): Buffer => Buffer.alloc(bytes);
/** How many bytes of padding follow `size` bytes of contents. */
export const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

function writeOctal(block: Buffer, at: number, width: number, value: number): void {
  block.write(
    `${Math.trunc(value)
      .toString(8)
      .padStart(width - 1, '0')}\0`,
    at,
    width,
    'latin1',
  );
}

function checksumOf(block: Buffer): number {
  let sum = 0;
  // The checksum field counts as eight spaces.
  for (let index = 0; index < BLOCK; index += 1) sum += index >= CHECKSUM_AT && index < CHECKSUM_AT + 8 ? 0x20 : (block[index] ?? 0);
  return sum;
}

/** The ustar name and prefix of `name` (split at a `/`, which is not stored), or undefined when it fits neither way. */
function splitName(name: Buffer): { name: Buffer; prefix: Buffer } | undefined {
  if (name.length <= NAME_BYTES) return { name, prefix: Buffer.alloc(0) };
  // The last `/` the prefix can end at leaves the shortest name; no earlier one does better.
  const slash = name.lastIndexOf(0x2f, Math.min(PREFIX_BYTES, name.length - 2));
  if (slash <= 0 || name.length - slash - 1 > NAME_BYTES) return undefined;
  return { prefix: name.subarray(0, slash), name: name.subarray(slash + 1) };
}

/** One header block. Modes are owner-only and owners anonymous: nothing of the machine's users leaks into the archive. */
function headerBlock(fields: { name: Buffer; prefix: Buffer; type: 'file' | 'directory' | 'pax'; size: number; mtime: number }): Buffer {
  const block = zeros(BLOCK);
  fields.name.copy(block, 0);
  writeOctal(block, 100, 8, fields.type === 'directory' ? 0o700 : 0o600);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, fields.size);
  writeOctal(block, 136, 12, Math.min(Math.max(fields.mtime, 0), MAX_OCTAL_SIZE));
  block.write(fields.type === 'directory' ? '5' : fields.type === 'pax' ? 'x' : '0', TYPE_AT, 'latin1');
  POSIX_MAGIC.copy(block, MAGIC_AT);
  fields.prefix.copy(block, PREFIX_AT);
  block.write(`${checksumOf(block).toString(8).padStart(6, '0')}\0 `, CHECKSUM_AT, 8, 'latin1');
  return block;
}

/** A pax record, `<length> <key>=<value>\n`, whose length counts its own digits. */
function paxRecord(key: string, value: string): string {
  const rest = Buffer.byteLength(` ${key}=${value}\n`);
  let length = rest + 1;
  while (length !== rest + String(length).length) length = rest + String(length).length;
  return `${length} ${key}=${value}\n`;
}

/** A name a reader without pax support can still use: the start of the real one, never a `.` or `..`. */
function fallbackName(name: Buffer): Buffer {
  let end = NAME_BYTES;
  while ((name[end] ?? 0) >> 6 === 0b10) end -= 1; // not in the middle of a UTF-8 character
  return Buffer.from(
    name
      .subarray(0, end)
      .toString('utf8')
      .replace(/(^|\/)\.{0,2}$/, '$1_'),
  );
}

/**
 * The header blocks of an entry: its ustar header, after a pax header when its name or
 * size does not fit ustar. Its contents (a file's) follow, padded to a whole block.
 */
export function entryHeaders(entry: Entry): Buffer {
  const name = Buffer.from(entry.type === 'directory' ? `${entry.path}/` : entry.path);
  const split = splitName(name);
  const records =
    (split === undefined ? paxRecord('path', entry.path) : '') + (entry.size > MAX_OCTAL_SIZE ? paxRecord('size', String(entry.size)) : '');
  const header = headerBlock({
    ...(split ?? { name: fallbackName(name), prefix: Buffer.alloc(0) }),
    ...entry,
    size: Math.min(entry.size, MAX_OCTAL_SIZE),
  });
  if (records === '') return header;
  const body = Buffer.from(records);
  const pax = headerBlock({ name: Buffer.from('PaxHeader'), prefix: Buffer.alloc(0), type: 'pax', size: body.length, mtime: entry.mtime });
  return Buffer.concat([pax, body, zeros(padding(body.length)), header]);
}

/** What a header says, before its name is checked. */
export interface Header {
  /** As stored (prefix and name joined), undecoded. */
  name: Buffer;
  /** The typeflag, e.g. `0` a file, `5` a directory, `2` a symbolic link, `x` a pax header. */
  type: string;
  size: number;
  mtime: number;
  linkName: string;
}

const fieldEnd = (block: Buffer, at: number, width: number): number => {
  const nul = block.indexOf(0, at);
  return nul === -1 || nul > at + width ? at + width : nul;
};

function readOctal(block: Buffer, at: number, width: number, what: string): number {
  if (((block[at] ?? 0) & 0x80) !== 0) throw new ArchiveError(`its ${what} is in GNU tar's binary form, which 3pio does not read`);
  const text = block.toString('latin1', at, fieldEnd(block, at, width)).trim();
  if (!/^[0-7]*$/.test(text)) throw new ArchiveError(`its ${what} field is not an octal number`);
  return text === '' ? 0 : parseInt(text, 8);
}

/** The header in `block`; 'end' for the block of zeros that ends an archive. Throws on a corrupt block. */
export function readHeader(block: Buffer): Header | 'end' {
  if (block.every((byte) => byte === 0)) return 'end';
  const name = block.subarray(0, fieldEnd(block, 0, NAME_BYTES));
  if (readOctal(block, CHECKSUM_AT, 8, 'checksum') !== checksumOf(block))
    throw new ArchiveError(`the header of "${name.toString('utf8')}" has a bad checksum: the archive is corrupt`);
  const magic = block.subarray(MAGIC_AT, MAGIC_AT + 8);
  const posix = magic.equals(POSIX_MAGIC);
  if (!posix && !magic.equals(GNU_MAGIC)) throw new ArchiveError(`"${name.toString('utf8')}" is not in a ustar header (an old tar format)`);
  // Only POSIX ustar has a prefix; GNU's format keeps other fields there.
  const prefix = posix ? block.subarray(PREFIX_AT, fieldEnd(block, PREFIX_AT, PREFIX_BYTES)) : Buffer.alloc(0);
  const linkEnd = fieldEnd(block, 157, 100);
  return {
    name: prefix.length === 0 ? Buffer.from(name) : Buffer.concat([prefix, Buffer.from('/'), name]),
    type: String.fromCharCode(block[TYPE_AT] ?? 0),
    size: readOctal(block, 124, 12, 'size'),
    mtime: readOctal(block, 136, 12, 'modification time'),
    linkName: block.toString('utf8', 157, linkEnd),
  };
}

/** The records of a pax header's body (`<length> <key>=<value>\n`…). */
export function readPaxRecords(body: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const space = body.indexOf(0x20, at);
    const length = Number(body.toString('latin1', at, space === -1 ? at : space));
    const end = at + length;
    if (space === -1 || !Number.isSafeInteger(length) || end > body.length || end <= space || body[end - 1] !== 0x0a)
      throw new ArchiveError(`it has a malformed extended (pax) header`);
    let record: string;
    try {
      record = decoder.decode(body.subarray(space + 1, end - 1));
    } catch {
      throw new ArchiveError(`it has an extended (pax) header that is not UTF-8`);
    }
    const equals = record.indexOf('=');
    if (equals <= 0) throw new ArchiveError(`it has a malformed extended (pax) header`);
    records.set(record.slice(0, equals), record.slice(equals + 1));
    at = end;
  }
  return records;
}
