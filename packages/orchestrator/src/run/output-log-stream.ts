/**
 * `output.log` without ANSI escapes: the runner writes it directly (runner-process.ts)
 * and some runners colour their output despite NO_COLOR; once the run is over a file
 * that has escapes is rewritten without them. Text is stripped a line at a time, so an
 * escape sequence split between two chunks is still recognised; a line that never ends
 * is passed on once it reaches a bound.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stripVTControlCharacters } from 'node:util';

const MAX_HELD_CHARS = 64 * 1024;

export function ansiStripper(): Transform {
  // A multi-byte character can be split between two chunks.
  const decoder = new StringDecoder('utf8');
  let held = '';
  return new Transform({
    decodeStrings: false,
    transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback) {
      held += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const linesEnd = held.lastIndexOf('\n') + 1;
      const end = linesEnd > 0 ? linesEnd : held.length > MAX_HELD_CHARS ? held.length : 0;
      if (end > 0) {
        this.push(stripVTControlCharacters(held.slice(0, end)));
        held = held.slice(end);
      }
      done();
    },
    flush(done: TransformCallback) {
      held += decoder.end();
      if (held.length > 0) this.push(stripVTControlCharacters(held));
      done();
    },
  });
}

async function containsEscape(path: string): Promise<boolean> {
  for await (const chunk of createReadStream(path)) if ((chunk as Buffer).includes(0x1b)) return true;
  return false;
}

/**
 * Rewrites the file without ANSI escapes, if it has any: a log without them is left
 * alone, so a process the runner left behind can go on appending to it. The file is
 * replaced only once the clean copy has caught up with it.
 */
export async function stripAnsiFromFile(path: string): Promise<void> {
  const clean = `${path}.clean`;
  try {
    if (!(await containsEscape(path))) return;
    // Until the copy has every byte: what is appended meanwhile is copied in the next round.
    for (let copied = 0, size = (await stat(path)).size; copied < size; copied = size, size = (await stat(path)).size) {
      await pipeline(
        createReadStream(path, { start: copied, end: size - 1 }),
        ansiStripper(),
        createWriteStream(clean, { flags: 'a', mode: 0o600 }),
      );
    }
    await rename(clean, path);
  } catch {
    // Cleaning is cosmetic: the raw log, escapes and all, stays as the runner wrote it.
    await rm(clean, { force: true });
  }
}

/** How much of the end of the log is read to show it, or to look for what a task runner said last. */
const TAIL_BYTES = 64 * 1024;

/** The last TAIL_BYTES of the log (the whole of a shorter one), as text; empty when it cannot be read. */
export async function readTail(path: string): Promise<string> {
  try {
    const { size } = await stat(path);
    const chunks: Buffer[] = [];
    for await (const chunk of createReadStream(path, { start: Math.max(0, size - TAIL_BYTES) })) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } catch {
    return '';
  }
}
